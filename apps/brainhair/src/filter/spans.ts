/**
 * Which characters of a text are already taken, so that an overlap test costs the length of the
 * span, not the number of spans taken before it: a 1 MB text has tens of thousands of spans.
 */
export class Taken {
  private readonly chars: Uint8Array;

  constructor(length: number) {
    this.chars = new Uint8Array(length + 1);
  }

  free(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.chars[i]) return false;
    return true;
  }

  take(start: number, end: number): void {
    this.chars.fill(1, start, end);
  }
}
