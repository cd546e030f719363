/**
 * `npm run serve`: serves the built site (reports/) the way a static host would, clean URLs
 * included (`/activity` → activity.html). Also the server of the end-to-end tests.
 */
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {extname, join, normalize, sep} from "node:path";
import {outputDir} from "../loaders/core/paths.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/vnd.apache.parquet",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".pdf": "application/pdf",
  ".woff2": "font/woff2"
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves dir on 127.0.0.1 (port 0 picks a free one). onServed hears of every file sent, with its
 * size: what a page and its workers downloaded, whoever asked (the page-weight benchmark).
 */
export function serveStatic(
  dir: string,
  port = 0,
  onServed?: (pathname: string, bytes: number) => void
): Promise<StaticServer> {
  const root = normalize(dir);
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = resolveFile(root, pathname);
    if (!file) {
      response.writeHead(404, {"content-type": "text/plain; charset=utf-8"});
      response.end(`not found: ${pathname}\n`);
      return;
    }
    const size = statSync(file).size;
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": size
    });
    onServed?.(pathname, size);
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const {port} = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(() => done()))
      });
    });
  });
}

function resolveFile(root: string, pathname: string): string | undefined {
  const path = normalize(join(root, pathname));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const candidates = pathname.endsWith("/")
    ? [join(path, "index.html")]
    : [path, `${path}.html`, join(path, "index.html")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  serveStatic(outputDir(), port).then(({url}) => console.log(`serving ${outputDir()} at ${url}/`));
}
