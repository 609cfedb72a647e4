import { describe, expect, test } from "bun:test";
import { HttpError } from "@hivematrix/lib/errors";
import { type CsvColumns, csvCell, csvHeader, csvRows, fromCsv, readCell, writeCsv } from "../src/shared/csv.ts";

/**
 * The one CSV writer and reader (shared/csv.ts) by worked examples. A spreadsheet runs a cell
 * that starts with = + - @, a tab or a carriage return (OWASP's CSV injection list), so each of
 * those gets a leading apostrophe; a number in a numeric column stays a number.
 */

describe("a cell a spreadsheet would run is neutralised", () => {
  test("each formula start: = + - @ tab carriage return", () => {
    expect(csvCell("text", "=1+1")).toBe("'=1+1");
    expect(csvCell("text", "+1+1")).toBe("'+1+1");
    expect(csvCell("text", "-2+3")).toBe("'-2+3");
    expect(csvCell("text", "@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("text", "\t=1+1")).toBe("'\t=1+1");
    expect(csvCell("text", "\r=1+1")).toBe("'\r=1+1");
  });

  test("anything else is left as it is", () => {
    expect(csvCell("text", "Acme Dental")).toBe("Acme Dental");
    expect(csvCell("text", "a=1")).toBe("a=1");
    expect(csvCell("text", " =1")).toBe(" =1");
    expect(csvCell("text", "'quoted")).toBe("'quoted");
    expect(csvCell("text", "\n=1")).toBe("\n=1");
    expect(csvCell("text", "")).toBe("");
    expect(csvCell("text", null)).toBe("");
    expect(csvCell("money", undefined)).toBe("");
  });

  test("numbers of numeric columns stay numbers, credits included; money is cents shown as units", () => {
    expect(csvCell("int", 42)).toBe("42");
    expect(csvCell("int", -7)).toBe("-7");
    expect(csvCell("number", -0.25)).toBe("-0.25");
    expect(csvCell("number", 1.5)).toBe("1.5");
    expect(csvCell("money", -500)).toBe("-5.00");
    expect(csvCell("money", 12345)).toBe("123.45");
    expect(csvCell("money", 5)).toBe("0.05");
    expect(csvCell("money", 0)).toBe("0.00");
  });

  test("a numeric column's value that is not a finite number is text, neutralised like any", () => {
    expect(csvCell("int", "-7")).toBe("'-7");
    expect(csvCell("money", "=1+1")).toBe("'=1+1");
    expect(csvCell("number", Number.NEGATIVE_INFINITY)).toBe("'-Infinity");
    expect(csvCell("int", Number.NaN)).toBe("NaN");
  });

  test("a number in a text column is text", () => {
    expect(csvCell("text", -42)).toBe("'-42");
    expect(csvCell("text", 42)).toBe("42");
  });

  test("lists, booleans, dates and JSON", () => {
    expect(csvCell("list", ["=cmd|' /C calc'!A0", "acme.example"])).toBe("'=cmd|' /C calc'!A0;acme.example");
    expect(csvCell("list", ["acme.example", "=1+1"])).toBe("acme.example;=1+1");
    expect(csvCell("list", ["-2+3@evil.example"])).toBe("'-2+3@evil.example");
    expect(csvCell("list", [])).toBe("");
    expect(csvCell("intlist", [3, 14])).toBe("3;14");
    expect(csvCell("intlist", [-1, 2])).toBe("'-1;2");
    expect(csvCell("bool", true)).toBe("true");
    expect(csvCell("bool", false)).toBe("false");
    expect(csvCell("bool", 0)).toBe("false");
    expect(csvCell("text", new Date("2026-03-01T00:00:00Z"))).toBe("2026-03-01T00:00:00.000Z");
    expect(csvCell("json", {})).toBe("");
    expect(csvCell("json", { note: "=1+1" })).toBe('{"note":"=1+1"}');
    expect(csvCell("text", { a: 1 })).toBe('{"a":1}');
  });
});

describe("writeCsv", () => {
  const columns: CsvColumns = [
    ["name", "text"],
    ["amount", "money"],
    ["tags", "list"],
  ];

  test("a header row, then one row per record, quoted where CSV needs it", () => {
    expect(
      writeCsv(columns, [
        { name: "Acme, Inc", amount: -500, tags: ["a", "b"] },
        { name: '=HYPERLINK("http://evil.example")', amount: null, tags: [] },
      ]),
    ).toBe('name,amount,tags\n"Acme, Inc",-5.00,a;b\n"\'=HYPERLINK(""http://evil.example"")",,\n');
  });

  test("column names are neutralised too", () => {
    expect(writeCsv([["=name", "text"]], [{ "=name": "x" }])).toBe("'=name\nx\n");
    expect(writeCsv(columns, [])).toBe("name,amount,tags\n");
  });

  test("a CSV written a page at a time: the header once, then each page's rows", () => {
    expect(
      csvHeader([
        ["@name", "text"],
        ["amount", "money"],
      ]),
    ).toBe("'@name,amount\n");
    expect(csvRows(columns, [{ name: "+1", amount: 250, tags: ["x"] }])).toBe("'+1,2.50,x\n");
    expect(csvRows(columns, [])).toBe("");
  });
});

describe("readCell and fromCsv: the import takes the apostrophe off again", () => {
  test("only an apostrophe the writer put before a formula start is taken off", () => {
    expect(["'=1", "'+1", "'-1", "'@x", "'\t1", "'\r1"].map(readCell)).toEqual(["=1", "+1", "-1", "@x", "\t1", "\r1"]);
    expect(readCell("'quoted")).toBe("'quoted");
    expect(readCell("=1")).toBe("=1");
    expect(readCell("x'=1")).toBe("x'=1");
  });

  const columns: CsvColumns = [
    ["name", "text"],
    ["count", "int"],
    ["active", "bool"],
    ["domains", "list"],
    ["ids", "intlist"],
    ["extra", "json"],
  ];

  test("values in the API's types; cells that do not convert stay text for the row's check", () => {
    const csv = [
      "name,count,active,domains,ids,extra",
      '\'=Acme,42,yes,\'=a.example; b.example ;;c.example,1; 2;x;,"{""a"":1}"',
      "Beta,-7,FALSE,,,{bad",
      "'-Gamma,4.2,maybe,,,",
      "Delta,'-3,1,,,",
      "Echo,,0,,,",
      "Foxtrot,,TRUE,,,",
      "Golf,,No,,,",
      "Hotel,,11,10.0.0.1; 42,3a;a4; y ;12,",
      "India,,00,,,",
    ].join("\n");
    expect(fromCsv(columns, csv)).toEqual([
      {
        name: "=Acme",
        count: 42,
        active: true,
        domains: ["=a.example", "b.example", "c.example"],
        ids: [1, 2, "x"],
        extra: { a: 1 },
      },
      { name: "Beta", count: -7, active: false, extra: "{bad" },
      { name: "-Gamma", count: "4.2", active: "maybe" },
      { name: "Delta", count: -3, active: true },
      { name: "Echo", active: false },
      { name: "Foxtrot", active: true },
      { name: "Golf", active: false },
      { name: "Hotel", active: "11", domains: ["10.0.0.1", "42"], ids: ["3a", "a4", "y", 12] },
      { name: "India", active: "00" },
    ]);
  });

  test("a byte-order mark, blank lines and padding are ignored; a header alone is no rows", () => {
    expect(fromCsv(columns, "\uFEFFname,count\n\n  Acme  , 7 \n\n")).toEqual([{ name: "Acme", count: 7 }]);
    expect(fromCsv(columns, "name,count\n")).toEqual([]);
    // Only a leading mark is the file's; one inside a cell is the cell's.
    expect(fromCsv(columns, "name\nA\uFEFFcme")).toEqual([{ name: "A\uFEFFcme" }]);
  });

  test("what an export writes, the import reads back", () => {
    const records = [{ name: "@team", count: -5, active: false, domains: ["+x.example", "y.example"], ids: [1] }];
    expect(fromCsv(columns, writeCsv(columns, records))).toEqual(records);
  });

  const refusal = (text: string) => {
    try {
      fromCsv(columns, text);
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, message: error.message, details: error.details };
      throw error;
    }
    return null;
  };

  test("refused with 400: a NUL, unknown columns, CSV that cannot be read", () => {
    expect(refusal("name\nA\u0000cme")).toEqual({
      status: 400,
      message: "The CSV contains a NUL character, which no field takes.",
      details: null,
    });
    expect(refusal("name,colour,size\nAcme,red,1")).toEqual({
      status: 400,
      message: "Unknown CSV column(s): colour, size. Known: name, count, active, domains, ids, extra.",
      details: [
        { field: "colour", message: "Unknown column." },
        { field: "size", message: "Unknown column." },
      ],
    });
    const unclosed = refusal('name\n"Acme');
    expect(unclosed).toMatchObject({ status: 400, details: null });
    expect((unclosed as { message: string }).message).toStartWith("The CSV cannot be read: ");
    expect((refusal("name,count\nAcme,1,extra") as { message: string }).message).toStartWith(
      "The CSV cannot be read: ",
    );
  });
});
