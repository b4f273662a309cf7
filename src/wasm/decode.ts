// Base64 → bytes for the embedded binaries. `atob` exists in browsers, workers and Node >= 16,
// so no Buffer (which would drag a polyfill into browser bundles).

export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
