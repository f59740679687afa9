/**
 * The page's Content-Security-Policy: nothing but its own files. No external origin can be loaded
 * or contacted (`connect-src 'none'`: the page cannot send what it holds anywhere, not even to the
 * server that serves it), no inline script (inline styles are allowed, for the editor's own). Sent as a header by `pullguard serve` and written into
 * index.html as a `<meta>` for any other web server (which cannot carry `frame-ancestors`).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  // CodeMirror adds its stylesheet as a <style> element (style-mod uses adoptedStyleSheets only
  // in shadow roots): inline styles, never an external origin, and no inline script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** What only a header can say: no other site may frame the page. */
export const HEADER_ONLY_POLICY = "frame-ancestors 'none'";
