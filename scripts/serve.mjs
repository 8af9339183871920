// Serves dist/ on 127.0.0.1 only (PORT, default 8080). A plain static server with the right MIME types
// and the same Content-Security-Policy the page declares (as a header on every HTML page); this server makes
// no request of its own.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)), process.env.GPUMEM_DIST || 'dist');
const port = Number(process.env.PORT || 8080);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

// web/index.html's policy: this site, and for a Hugging Face id the Hub and the storage hosts its /resolve/
// addresses redirect to (*.hf.co and the legacy cdn-lfs*.huggingface.co; the list of hosts is
// huggingface/hub-docs docs/hub/models-downloading.md, "Downloading behind a proxy or firewall").
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' https://huggingface.co https://*.hf.co https://cdn-lfs.huggingface.co " +
  "https://cdn-lfs-us-1.huggingface.co https://cdn-lfs-eu-1.huggingface.co; object-src 'none'; base-uri 'none'";

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  let path = normalize(decodeURIComponent(url.pathname));
  if (path.endsWith('/')) path += 'index.html';
  const file = join(root, path);
  if (!file.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    const headers = { 'content-type': types[extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' };
    if (extname(file) === '.html') headers['content-security-policy'] = CSP;
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`gpumem is served at http://127.0.0.1:${port}/ (Ctrl+C to stop)`);
});
