/**
 * Runtype-only knobs for what the docs leave open, read from the environment (or `.env`, which the CLI
 * loads first) by `readConfig`, before the first request of the run. The suite never guesses silently:
 * the values tried and what the target did are reported.
 */
import type { Env } from '../../shared/api';
import { ConfigError } from '../../shared/errors';

/** `direction` values tried when a prevCursor alone does not walk back (the enum's values are not published). */
export const DEFAULT_DIRECTION_VALUES = [
  'next',
  'prev',
  'previous',
  'forward',
  'backward',
  'back',
  'before',
  'after',
] as const;

export interface RtSettings {
  /**
   * `direction` values to try when a prevCursor alone does not walk back (RUNTYPE_DIRECTION_VALUES).
   * @defaultValue {@link DEFAULT_DIRECTION_VALUES}
   */
  directionValues: readonly string[];
  /** Flow IDs known to exist on the target, for the flowId filter when prompts do not expose one (RUNTYPE_FLOW_IDS). @defaultValue [] */
  flowIds: readonly string[];
}

/** The settings of a run that sets none of the variables. */
export const DEFAULT_RT_SETTINGS: RtSettings = { directionValues: DEFAULT_DIRECTION_VALUES, flowIds: [] };

/** The variables {@link readRtSettings} reads: the run's configuration takes them as known names. */
export const RT_SETTINGS_VARIABLES = ['RUNTYPE_DIRECTION_VALUES', 'RUNTYPE_FLOW_IDS'] as const;

/** Reads RUNTYPE_DIRECTION_VALUES and RUNTYPE_FLOW_IDS (comma lists); a bad value is one ConfigError line. */
export function readRtSettings(env: Env): RtSettings {
  return {
    directionValues: commaList(env, 'RUNTYPE_DIRECTION_VALUES') ?? DEFAULT_RT_SETTINGS.directionValues,
    flowIds: commaList(env, 'RUNTYPE_FLOW_IDS') ?? DEFAULT_RT_SETTINGS.flowIds,
  };
}

function commaList(env: Env, name: string): string[] | undefined {
  const raw = env[name]?.trim();
  // unset or empty means "the default"; anything else must name at least one value
  if (!raw) return undefined;
  const values = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (!values.length)
    throw new ConfigError(`${name} holds no values ("${raw}"); give a comma list such as "next,prev", or unset it`);
  return values;
}
