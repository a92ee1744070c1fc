import type { CommandDef } from './table';

export const debugCommands: CommandDef[] = [];
