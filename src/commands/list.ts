import type { CommandDef } from './table';

export const listCommands: CommandDef[] = [];
