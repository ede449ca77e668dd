// One line per event on stdout/stderr, below a level. Every line passes through `redact`, so a
// secret that reaches a message (an error quoting a header, a stack trace) is never printed.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  enabled(level: Exclude<LogLevel, 'silent'>): boolean
}

export interface LoggerOptions {
  level: LogLevel
  /** Values that must never be printed (the API key, the dashboard password). */
  secrets?: Array<string | null | undefined>
  write?: (level: Exclude<LogLevel, 'silent'>, line: string) => void
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level)
  const secrets = (options.secrets ?? []).filter(
    (s): s is string => typeof s === 'string' && s !== '',
  )
  const write =
    options.write ??
    ((level, line) => (level === 'warn' || level === 'error' ? console.error : console.log)(line))

  function redact(text: string): string {
    let out = text
    for (const secret of secrets) out = out.split(secret).join('[redacted]')
    return out
  }

  function enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return LOG_LEVELS.indexOf(level) >= threshold
  }

  function log(level: Exclude<LogLevel, 'silent'>) {
    return (message: string) => {
      if (enabled(level)) write(level, redact(`${new Date().toISOString()} ${level} ${message}`))
    }
  }

  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    enabled,
  }
}
