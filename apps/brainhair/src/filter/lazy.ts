/**
 * The filter, imported on first use: its name lexicons take about 60 MB when imported and more
 * on the first call, which an idle Brainhair has no use for (the platform's idle footprint is
 * shared by every process). Type-only imports of the filter cost nothing and stay as they are.
 */
let loading: Promise<typeof import("./index.ts")> | null = null;

export const filterModule = () => {
  loading ??= import("./index.ts");
  return loading;
};
