-- Master data: customer organisations with contacts and sites; product models, devices and
-- service contracts. Child records carry customer_id; region scope reads the customer's region.
create table customers (
  id uuid primary key,
  name text not null,
  credit_code text,
  tier text not null check (tier in ('vip', 'standard')),
  region_code text not null,
  industry text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create unique index customers_name_idx on customers (lower(name));
create unique index customers_credit_code_idx on customers (credit_code) where credit_code is not null;
create index customers_region_idx on customers (region_code);

create table contacts (
  id uuid primary key,
  customer_id uuid not null references customers (id),
  name text not null,
  mobile text,
  email text,
  title text,
  created_at timestamptz not null,
  version integer not null default 1
);
create index contacts_customer_idx on contacts (customer_id);

create table sites (
  id uuid primary key,
  customer_id uuid not null references customers (id),
  name text not null,
  province_code text not null,
  city_code text not null,
  district_code text,
  address text not null,
  lat double precision,
  lng double precision,
  created_at timestamptz not null,
  version integer not null default 1
);
create index sites_customer_idx on sites (customer_id);

create table product_models (
  id uuid primary key,
  code text not null unique,
  name text not null,
  category text not null,
  manufacturer text,
  created_at timestamptz not null,
  version integer not null default 1
);

create table service_contracts (
  id uuid primary key,
  customer_id uuid not null references customers (id),
  number text not null unique,
  coverage text not null,
  sla_tier text not null,
  starts_on date not null,
  ends_on date not null check (ends_on >= starts_on),
  value numeric(14, 2),
  created_at timestamptz not null,
  version integer not null default 1
);
create index service_contracts_customer_idx on service_contracts (customer_id);

create table devices (
  id uuid primary key,
  model_id uuid not null references product_models (id),
  serial_number text not null,
  asset_code text,
  customer_id uuid not null references customers (id),
  site_id uuid references sites (id),
  contract_id uuid references service_contracts (id),
  batch text,
  firmware_version text,
  installed_on date,
  warranty_ends_on date,
  created_at timestamptz not null,
  version integer not null default 1
);
create unique index devices_serial_idx on devices (model_id, serial_number);
create unique index devices_asset_code_idx on devices (asset_code) where asset_code is not null;
create index devices_serial_lookup_idx on devices (serial_number);
create index devices_customer_idx on devices (customer_id);
create index devices_batch_idx on devices (model_id, batch);
