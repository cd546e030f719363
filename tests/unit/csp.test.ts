/** Every page's Content Security Policy (loaders/publish/csp.ts). */
import {JSDOM} from "jsdom";
import {describe, expect, it} from "vitest";
import {
  HTL_PLACEHOLDERS,
  inlineScripts,
  pagePolicy,
  scriptHash,
  withPolicy
} from "../../loaders/publish/csp.ts";

/** A page as Framework writes it: a module of the page's code, a script from the config's head. */
const PAGE = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<link rel="modulepreload" href="./_observablehq/client.js">
<script>alert(1)</script>
<script type="module" src="./_observablehq/stdlib.js"></script>
<script type="module">a\r\nb</script>
</head>
<body><script>alert(1)</script></body>
</html>
`;

describe("scriptHash(text)", () => {
  it("names a script by the base64 of its SHA-256, as CSP does", () => {
    expect(scriptHash("alert(1)")).toBe("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
  });
});

describe("inlineScripts(html)", () => {
  it("reads each inline script's text as the browser parses it (line ends as \\n), not those with a src", () => {
    expect(inlineScripts(PAGE)).toEqual(["alert(1)", "a\nb", "alert(1)"]);
  });
});

describe("HTL_PLACEHOLDERS", () => {
  it("are the texts htl writes for a function in an attribute, ::1 to ::16, none of them runnable", () => {
    expect(HTL_PLACEHOLDERS[0]).toBe("::1");
    expect(HTL_PLACEHOLDERS.at(-1)).toBe("::16");
    for (const text of HTL_PLACEHOLDERS) expect(() => new Function(text)).toThrow(SyntaxError);
  });
});

describe("pagePolicy(html)", () => {
  it("allows requests to the site only, wasm for DuckDB, its blob: worker, and the page's own inline scripts by hash", () => {
    expect(pagePolicy(PAGE).split("; ")).toEqual([
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=' 'sha256-fhj3NzEbLcOy8mndeDlrA1HxT7Zu+oefdoyyMYGIPHg='",
      `script-src-attr 'unsafe-hashes' ${HTL_PLACEHOLDERS.map(scriptHash).join(" ")}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'"
    ]);
  });

  it("allows no inline script by 'unsafe-inline', no inline handler but htl's placeholders, no eval and no other host", () => {
    const policy = pagePolicy(PAGE);
    const scripts = policy.split("; ").find((d) => d.startsWith("script-src "));
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(policy).not.toContain("script-src-attr 'unsafe-inline'");
    expect(policy).not.toMatch(/'unsafe-eval'|https?:|\*/);
  });
});

describe("withPolicy(html)", () => {
  const page = withPolicy(PAGE);
  const {document} = new JSDOM(page).window;

  it("writes the policy as the first element after the charset, before anything it governs", () => {
    const meta = document.head.children[1];
    expect(document.head.children[0].getAttribute("charset")).toBe("utf-8");
    expect(meta.getAttribute("http-equiv")).toBe("Content-Security-Policy");
    expect(meta.getAttribute("content")).toBe(pagePolicy(PAGE));
  });

  it("changes nothing else, and nothing on a second pass", () => {
    expect(page.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">\n/, "")).toBe(
      PAGE
    );
    expect(withPolicy(page)).toBe(page);
  });
});
