import type { HttpModule } from '../platform/http/app';
import type { Platform } from '../platform/index';

/**
 * The business capabilities of this build, in the order their hooks must run
 * (identity first: it resolves who is calling).
 */
export async function createModules(_platform: Platform): Promise<HttpModule[]> {
  return [];
}
