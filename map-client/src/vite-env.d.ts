// Vite's `?url` imports: the URL of the emitted file (root tsconfig does not load vite/client types).
declare module '*?url' {
  const url: string;
  export default url;
}
