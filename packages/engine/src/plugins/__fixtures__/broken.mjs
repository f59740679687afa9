throw new Error('cannot start: ALLOWLIST_URL is not set');
