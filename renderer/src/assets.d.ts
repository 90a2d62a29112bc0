// A feature's own stylesheet is imported for its side effect (import './notebooks.css'); Vite bundles it.
declare module '*.css';
