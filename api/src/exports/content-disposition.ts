/**
 * `Content-Disposition: attachment` with a Chinese file name: an ASCII `filename` for old clients
 * and the UTF-8 name as RFC 5987/6266 `filename*`, which every current browser prefers.
 */

/** RFC 5987 `value-chars`: percent-encodes everything but attr-char (encodeURIComponent leaves '()* too). */
export function rfc5987Encode(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The header value; `asciiName` must be printable ASCII (quotes and backslashes are replaced). */
export function attachmentDisposition(fileName: string, asciiName: string): string {
  const fallback = asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987Encode(fileName)}`;
}
