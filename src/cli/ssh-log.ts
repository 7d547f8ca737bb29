// OpenSSH's log lines on stderr (error(), fatal(), logit(), verbose()) end in CR LF, every line of a message:
// tether's messages that stand for OpenSSH's are written the same way, so a script sees the same bytes.

/** Each line of `message` (a trailing line end dropped first) followed by CR LF. */
export function sshLogLines(message: string): string {
  const body = message.replace(/\r?\n$/, '');
  return body
    .split('\n')
    .map((line) => `${line.replace(/\r$/, '')}\r\n`)
    .join('');
}
