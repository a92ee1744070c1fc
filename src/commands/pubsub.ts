import type { CommandDef } from './table';

export const pubsubCommands: CommandDef[] = [];
