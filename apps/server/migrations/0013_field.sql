-- Field service: engineer profiles, the skills jobs need, and uploaded boundary maps.

-- One profile per engineer (a user with the engineer role). Lists are jsonb: they are read and
-- written whole with the profile, and the scorer needs them all at once.
create table engineer_profiles (
  id uuid primary key,
  user_id uuid not null unique references users (id),
  skills jsonb not null default '[]',
  -- [{ tag, expiresOn: 'YYYY-MM-DD' | null }]
  certifications jsonb not null default '[]',
  region_codes text[] not null default '{}',
  home_lat double precision check (home_lat between -90 and 90),
  home_lng double precision check (home_lng between -180 and 180),
  -- [{ weekday: 1–7 (ISO, Monday first), start: 'HH:MM', end: 'HH:MM' }] in China Standard Time
  working_hours jsonb not null default '[]',
  capacity_jobs integer not null check (capacity_jobs between 1 and 30),
  capacity_hours double precision not null check (capacity_hours > 0 and capacity_hours <= 24),
  -- [{ from: 'YYYY-MM-DD', to: 'YYYY-MM-DD', note }] inclusive
  leave jsonb not null default '[]',
  cost_rate_fen integer not null default 0 check (cost_rate_fen >= 0),
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  check ((home_lat is null) = (home_lng is null))
);
create index engineer_profiles_skills_idx on engineer_profiles using gin (skills);

-- What a fault category or a product model asks of the engineer; a job needs the union.
create table skill_requirements (
  subject_kind text not null check (subject_kind in ('category', 'model')),
  subject_id uuid not null,
  skills jsonb not null,
  updated_at timestamptz not null,
  primary key (subject_kind, subject_id)
);

-- Boundary maps an administrator uploaded (none ship): the GeoJSON lives in file storage.
create table geo_maps (
  id uuid primary key,
  name text not null,
  storage_key text not null,
  features integer not null,
  size_bytes integer not null,
  uploaded_by uuid,
  uploaded_at timestamptz not null
);

-- The board reads a day of visits per engineer; the optimiser a day of visits overall.
create index visits_planned_idx on visits (planned_start);
