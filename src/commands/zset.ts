import type { CommandDef } from './table';

export const zsetCommands: CommandDef[] = [];
