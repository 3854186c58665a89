import { parseCsv, parseValues } from "./csv";

test("one subgroup per line, any separator, header skipped", () => {
  expect(parseCsv("x1,x2,x3\n10.1, 10.2,10.0\n9.9;10.4\t10.1\n\n10 10 10\n")).toEqual({
    subgroups: [
      [10.1, 10.2, 10.0],
      [9.9, 10.4, 10.1],
      [10, 10, 10],
    ],
    problems: [],
  });
});

test("bad cells are reported with their line", () => {
  expect(parseCsv("1,2\n3,abc\n5,6").problems).toEqual(["line 2: “abc” is not a number"]);
});

test("values of one subgroup", () => {
  expect(parseValues("10.1, 10.3 9.9")).toEqual([10.1, 10.3, 9.9]);
  expect(parseValues("10.1, x")).toBeNull();
  expect(parseValues("  ")).toBeNull();
});
