/**
 * Runtype-only knobs for what the docs leave open, read from the environment (or `.env`, which the CLI
 * loads first). The suite never guesses silently: the values tried and what the target did are reported.
 */
import { ConfigError } from '../../shared/errors';

export interface RtSettings {
  /**
   * `direction` values to try when a prevCursor alone does not walk back (the enum's values are not published).
   * @defaultValue ['next', 'prev', 'forward', 'backward', 'before', 'after']
   */
  directionValues: readonly string[];
  /** Flow IDs known to exist on the target, for the flowId filter when prompts do not expose one. @defaultValue [] */
  flowIds: readonly string[];
}

export const DEFAULT_DIRECTION_VALUES = ['next', 'prev', 'previous', 'forward', 'backward', 'back', 'before', 'after'] as const;

type Env = Record<string, string | undefined>;

/** Reads RUNTYPE_DIRECTION_VALUES and RUNTYPE_FLOW_IDS (comma lists). */
export function readRtSettings(env: Env = process.env): RtSettings {
  return {
    directionValues: commaList(env, 'RUNTYPE_DIRECTION_VALUES') ?? DEFAULT_DIRECTION_VALUES,
    flowIds: commaList(env, 'RUNTYPE_FLOW_IDS') ?? [],
  };
}

function commaList(env: Env, name: string): string[] | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const values = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!values.length) throw new ConfigError(`${name} holds no values ("${raw}"); give a comma list such as "next,prev", or unset it`);
  return values;
}
