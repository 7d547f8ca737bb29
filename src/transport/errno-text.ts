// strerror(3) for the errno codes a connection meets, so messages read exactly like ssh's.

const TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ECONNABORTED: 'Software caused connection abort',
  ENETUNREACH: 'Network is unreachable',
  ENETDOWN: 'Network is down',
  EHOSTUNREACH: 'No route to host',
  EHOSTDOWN: 'Host is down',
  ETIMEDOUT: 'Connection timed out',
  EPIPE: 'Broken pipe',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EINVAL: 'Invalid argument',
  EISDIR: 'Is a directory',
  EAI_AGAIN: 'Temporary failure in name resolution',
  ENOTFOUND: 'Name or service not known',
  EAI_NONAME: 'Name or service not known',
  EAI_NODATA: 'No address associated with hostname',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
};

/** The C library's message for an errno code, or the code itself when unknown. */
export function errnoText(code: string | undefined): string {
  if (code === undefined) return 'Unknown error';
  return TEXT[code] ?? code;
}

/** The errno code of a Node system error, if it has one. */
export function codeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
