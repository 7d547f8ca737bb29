// The composition root: argv in, exit status out. Only this file wires the layers together.

/** Runs tether with the given arguments and resolves to the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`tether: not implemented yet (${argv.join(' ')})\n`);
  return 255;
}
