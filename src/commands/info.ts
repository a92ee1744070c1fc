import type { CommandDef } from './table';

export const infoCommands: CommandDef[] = [];
