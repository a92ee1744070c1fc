import type { CommandDef } from './table';

export const introspectionCommands: CommandDef[] = [];
