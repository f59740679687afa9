/** Server flags forwarded as written to the server's own parser (`loadServerConfig`), which validates them. */
export const SERVER_FLAGS = [
  ['host', '<host>', 'listen address (default 127.0.0.1)'],
  ['port', '<port>', 'listen port, 0 = any free port (default 8080)'],
  ['tls-cert', '<file>', 'PEM certificate: serve HTTPS (with --tls-key)'],
  ['tls-key', '<file>', 'PEM private key'],
  ['admin-token-file', '<file>', 'file holding the admin token for POST /v1/policies/reload'],
  ['cache-size', '<n>', 'result cache entries, 0 disables (default 10000)'],
  ['cache-ttl', '<duration>', 'result cache time to live (e.g. 10m)'],
  ['body-limit', '<size>', 'largest request body (default 3MiB)'],
  ['request-timeout', '<duration>', 'evaluation deadline (default 10s)'],
  ['failure-mode', '<mode>', 'closed (default) | open'],
  ['log-level', '<level>', 'fatal|error|warn|info|debug|trace|silent'],
] as const;
