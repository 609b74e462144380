import type { Strings } from '../zh-CN';
import type { assets as zh } from '../zh-CN/assets';

/** English: product models, devices and contracts. */
export const assets: Strings<typeof zh> = {
  models: {
    code: 'Model code',
    name: 'Model name',
    category: 'Category',
    manufacturer: 'Manufacturer',
    categories: {
      cnc_machine: 'CNC machine',
      industrial_robot: 'Industrial robot',
      production_line: 'Production line',
      elevator: 'Elevator',
      escalator: 'Escalator',
      laptop: 'Laptop',
      phone: 'Phone',
      other: 'Other',
    },
  },
  devices: {
    printLabels: 'Print QR labels ({{count}})',
    serialNumber: 'Serial number',
    assetCode: 'Asset code',
    model: 'Product model',
    customer: 'Customer',
    site: 'Site',
    contract: 'Service contract',
    batch: 'Batch',
    firmware: 'Firmware',
    installedOn: 'Installed on',
    warrantyEndsOn: 'Warranty ends',
    warranty: 'Warranty',
    warrantyStatus: { in_warranty: 'In warranty', out_of_warranty: 'Out of warranty', unknown: 'Unknown' },
    overview: 'Device 360°',
  },
  contracts: {
    number: 'Contract number',
    coverage: 'Coverage',
    slaTier: 'SLA tier',
    startsOn: 'Starts',
    endsOn: 'Ends',
    value: 'Value (CNY)',
    active: 'Active',
    coverages: { full: 'Full', parts_only: 'Parts only', labour_only: 'Labour only', inspection: 'Inspection' },
    slaTiers: { gold: 'Gold', silver: 'Silver', bronze: 'Bronze' },
  },
};
