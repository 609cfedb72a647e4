/** Names written surname first with a comma, as lists, records and courts write them. */
import { SUFFIXES } from "./likeness.ts";
import { gap, type Token } from "./tokens.ts";

const sameCase = (a: Token, b: Token): boolean => a.shape === b.shape;

/** Token positions of a name: the given name, the surname's words, and the last token it takes. */
export interface Shape {
  first?: number;
  surname: number[];
  end: number;
}

/**
 * "Last, First [Middle]" as in "Bui, Linh", "JOHANSSON, FREYA", "TRAN, MINH ANH", starting at token i;
 * a surname in capitals may stand before a given name in ordinary case ("HASSAN, Omar Abdi"), as
 * courts and passports write it.
 */
export function inverted(text: string, tokens: Token[], i: number): Shape[] {
  const last = tokens[i]!;
  const first = tokens[i + 1];
  if (!first || gap(text, last, first) !== "comma") return [];
  if (!sameCase(last, first) && !(last.shape === "upper" && last.text.length > 1 && first.shape === "cap")) return [];
  // "Red, Green, Blue": a list, not a name.
  const after = tokens[i + 2];
  if (after && gap(text, first, after) === "comma" && after.shape === first.shape) return [];
  const shapes: Shape[] = [{ first: i + 1, surname: [i], end: i + 1 }];
  // "Kim Sato, Abdul Rahman, Petra Novak": after a word in the same case, the surname ends a name read
  // forward, and the list goes on with the next one.
  const prev = tokens[i - 1];
  if (prev && prev.shape === last.shape && gap(text, prev, last) === "space") return shapes;
  // A middle name after the given one, in the same case, the name ending there; or its initial.
  if (after?.shape === "initial" && /^ $/.test(text.slice(first.end, after.start)) && after.dot) {
    shapes.push({ first: i + 1, surname: [i], end: i + 2 });
    return shapes;
  }
  const beyond = tokens[i + 3];
  if (
    after &&
    after.shape === first.shape &&
    gap(text, first, after) === "space" &&
    !SUFFIXES.has(after.lower) &&
    (!beyond || gap(text, after, beyond) !== "space" || beyond.shape !== after.shape)
  ) {
    shapes.push({ first: i + 1, surname: [i], end: i + 2 });
  }
  return shapes;
}
