import type { CommandDef } from './table';

export const serverCommands: CommandDef[] = [];
