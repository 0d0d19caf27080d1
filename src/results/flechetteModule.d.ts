// The package's `main` is its CommonJS build, which Node loads through the CommonJS loader and its
// export lexer (about 20 ms of every simulate's start-up); its ES module build has the same API.
declare module "@uwdata/flechette/dist/flechette.mjs" {
  export * from "@uwdata/flechette";
}
