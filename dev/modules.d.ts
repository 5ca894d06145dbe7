declare module 'dynalite' {
  import type { Server } from 'node:http';
  function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    path?: string;
  }): Server;
  export = dynalite;
}
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
