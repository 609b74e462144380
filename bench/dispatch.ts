/**
 * `npm run bench:dispatch` — the day optimiser against the greedy nearest-available baseline on
 * generated days (seeded, so every run and machine sees the same scenarios). Not a test: prints
 * per-size averages of travel minutes (in all and per job placed, and the optimiser's saving per
 * job against the baseline), SLA misses (late, or unplaced while due today), late minutes, jobs
 * left unassigned, and the time each planner took: wall clock (mean and worst day) and user CPU,
 * which is steadier on a shared machine. Engineers and jobs are spread over the Pearl River Delta
 * (Guangzhou, Foshan, Dongguan, Shenzhen, Huizhou); a tenth of the jobs have no coordinates.
 * BENCH_SCENARIOS days per size (20); BENCH_SIZES picks sizes (`5x16,12x40,30x100,300x2000`).
 */
import { greedyNearest } from '../apps/server/src/modules/field/baseline';
import type { Plan, PlanEngineer, PlanJob } from '../apps/server/src/modules/field/itinerary';
import { optimiseDay } from '../apps/server/src/modules/field/optimizer';
import { Random } from '../apps/server/src/seed/random';

const CITIES = [
  { lat: 23.1291, lng: 113.2644 },
  { lat: 23.0215, lng: 113.1214 },
  { lat: 23.0205, lng: 113.7518 },
  { lat: 22.5431, lng: 114.0579 },
  { lat: 23.1115, lng: 114.4152 },
];
const SKILLS = ['elevator', 'escalator', 'plc', 'hv'];
const SCENARIOS = Number(process.env.BENCH_SCENARIOS ?? 20);

const around = (rng: Random) => {
  const city = rng.pick(CITIES);
  return { lat: city.lat + (rng.next() - 0.5) * 0.3, lng: city.lng + (rng.next() - 0.5) * 0.3 };
};

function scenario(seed: number, engineerCount: number, jobCount: number) {
  const rng = new Random(seed);
  const engineers: PlanEngineer[] = Array.from({ length: engineerCount }, (_, i) => {
    const home = around(rng);
    const skills = SKILLS.filter((_, k) => k === i % SKILLS.length || rng.chance(0.35));
    return {
      id: `e${String(i).padStart(3, '0')}`,
      skills,
      start: home,
      home,
      // One in ten is on leave; shifts 08:30–17:30 or 09:00–18:00.
      shift: rng.chance(0.1) ? null : rng.chance(0.5) ? { start: 510, end: 1050 } : { start: 540, end: 1080 },
      busyUntil: 0,
      jobsLeft: rng.int(4, 6),
      minutesLeft: 480,
    };
  });
  const jobs: PlanJob[] = Array.from({ length: jobCount }, (_, i) => ({
    id: `j${String(i).padStart(4, '0')}`,
    location: rng.chance(0.1) ? null : around(rng),
    durationMinutes: rng.pick([45, 60, 90, 120, 180]),
    requiredSkills: rng.chance(0.2) ? [] : [rng.pick(SKILLS)],
    // A third urgent (due by midday), a third later today, a third with slack or none.
    due: rng.weighted([
      [rng.int(600, 780), 1],
      [rng.int(780, 1080), 1],
      [rng.chance(0.5) ? null : rng.int(1080, 2400), 1],
    ] as const),
  }));
  return { engineers, jobs };
}

interface Row {
  travel: number;
  perJob: number;
  misses: number;
  late: number;
  unassigned: number;
  ms: number;
  /** User CPU time of the planner, steadier than the wall clock on a shared machine. */
  cpuMs: number;
}
/** A job left unplaced whose SLA falls due today misses it as surely as a late one. */
const run = (plan: () => Plan, jobs: PlanJob[]): Row => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const p = plan();
  const ms = performance.now() - started;
  const cpuMs = process.cpuUsage(cpu).user / 1000;
  const unplacedDue = p.unassigned.filter((u) => {
    const due = jobs.find((j) => j.id === u.jobId)!.due;
    return due !== null && due <= 1440;
  }).length;
  return {
    travel: p.totals.travelMinutes,
    perJob: p.totals.travelMinutes / Math.max(1, p.totals.assigned),
    misses: p.totals.slaMisses + unplacedDue,
    late: p.totals.lateMinutes,
    unassigned: p.totals.unassigned,
    ms,
    cpuMs,
  };
};
const mean = (rows: Row[], k: keyof Row) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
const worst = (rows: Row[], k: keyof Row) => Math.max(...rows.map((r) => r[k]));

console.log(`${SCENARIOS} generated days per size (seeded); averages per day\n`);
console.log(
  '| engineers × jobs | planner | travel min | travel min per job | SLA misses | late min | unassigned | time ms (worst day) | CPU ms | travel per job vs greedy | days the optimiser wins: travel per job / misses |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
/** `BENCH_SIZES=300x2000,30x100` runs only those sizes. */
const SIZES = (process.env.BENCH_SIZES ?? '5x16,12x40,30x100,300x2000')
  .split(',')
  .map((size) => size.split('x').map(Number) as [number, number]);
for (const [engineerCount, jobCount] of SIZES) {
  const optimised: Row[] = [];
  const greedy: Row[] = [];
  for (let s = 1; s <= SCENARIOS; s++) {
    const { engineers, jobs } = scenario(s * 7919 + engineerCount!, engineerCount!, jobCount!);
    optimised.push(run(() => optimiseDay(engineers, jobs), jobs));
    greedy.push(run(() => greedyNearest(engineers, jobs), jobs));
  }
  const wins = (k: 'perJob' | 'misses') => optimised.filter((o, i) => o[k] < greedy[i]![k]).length;
  const line = (name: string, rows: Row[], saving: string, extra: string) =>
    console.log(
      `| ${engineerCount} × ${jobCount} | ${name} | ${mean(rows, 'travel').toFixed(0)} | ${mean(rows, 'perJob').toFixed(1)} | ${mean(rows, 'misses').toFixed(1)} | ${mean(rows, 'late').toFixed(0)} | ${mean(rows, 'unassigned').toFixed(1)} | ${mean(rows, 'ms').toFixed(1)} (${worst(rows, 'ms').toFixed(0)}) | ${mean(rows, 'cpuMs').toFixed(1)} | ${saving} | ${extra} |`,
    );
  const saving = (mean(optimised, 'perJob') / mean(greedy, 'perJob') - 1) * 100;
  line('greedy nearest', greedy, '', '');
  line(
    'optimiser',
    optimised,
    `${saving.toFixed(0)} %`,
    `${wins('perJob')}/${SCENARIOS} · ${wins('misses')}/${SCENARIOS}`,
  );
}
