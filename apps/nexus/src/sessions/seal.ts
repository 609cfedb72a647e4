import { compactDecrypt, CompactEncrypt } from "jose";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts small JSON values for cookies (JWE, dir + A256GCM): the browser holds them but can
 * neither read nor alter them. Opened values are remembered by their sealed text, because the
 * same session cookie arrives with every request.
 */
export function createSealer(secret: string, maxCached = 10_000) {
  const key = Buffer.from(secret, "base64url");
  if (key.length !== 32) throw new Error("the cookie key must be 32 bytes (base64url)");
  const opened = new Map<string, { purpose: string; value: unknown }>();

  return {
    async seal(value: unknown, purpose: string): Promise<string> {
      return new CompactEncrypt(encoder.encode(JSON.stringify(value)))
        .setProtectedHeader({ alg: "dir", enc: "A256GCM", cty: purpose })
        .encrypt(key);
    },

    /** The value sealed for `purpose`, or null when the text is not one we sealed. */
    async open<T>(sealed: string, purpose: string): Promise<T | null> {
      // A remembered value still answers only for the purpose it was sealed for.
      const hit = opened.get(sealed);
      if (hit) return hit.purpose === purpose ? (hit.value as T) : null;
      try {
        const { plaintext, protectedHeader } = await compactDecrypt(sealed, key, {
          keyManagementAlgorithms: ["dir"],
          contentEncryptionAlgorithms: ["A256GCM"],
        });
        if (protectedHeader.cty !== purpose) return null;
        const value = JSON.parse(decoder.decode(plaintext)) as T;
        if (opened.size >= maxCached) opened.delete(opened.keys().next().value!);
        opened.set(sealed, { purpose, value });
        return value;
      } catch {
        return null;
      }
    },

    forget(sealed: string): void {
      opened.delete(sealed);
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
