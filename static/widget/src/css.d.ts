/** esbuild loads `.css` and `.svg` as text (scripts/build.ts); tests never import them. */
declare module '*.css' {
  const text: string;
  export default text;
}
