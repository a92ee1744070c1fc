import type { CommandDef } from './table';

export const transactionCommands: CommandDef[] = [];
