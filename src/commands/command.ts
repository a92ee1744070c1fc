import type { CommandDef } from './table';

export const commandCommands: CommandDef[] = [];
