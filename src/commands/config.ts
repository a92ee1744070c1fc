import type { CommandDef } from './table';

export const configCommands: CommandDef[] = [];
