// Demo catalogue of the fictional company: software, hardware and expansions, prices in EUR incl. VAT.
import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { insertBundleItems, insertCategories, insertProducts } from './catalog.queries.ts';
import type { BundleItemsTable, CategoriesTable, ProductKind, ProductsTable } from './catalog.tables.ts';

type Seed = [
  slug: string,
  kind: ProductKind,
  en: string,
  de: string,
  summaryEn: string,
  summaryDe: string,
  euros: number,
  stock?: number,
];

const seeds: Seed[] = [
  [
    'aurora-synth',
    'software',
    'Aurora Synth',
    'Aurora Synth',
    'Wavetable synthesizer with 600 presets.',
    'Wavetable-Synthesizer mit 600 Presets.',
    199,
  ],
  [
    'granite-piano',
    'software',
    'Granite Grand Piano',
    'Granite Konzertflügel',
    'A sampled concert grand, recorded in five mic positions.',
    'Ein gesampelter Konzertflügel, aufgenommen mit fünf Mikrofonpositionen.',
    149,
  ],
  [
    'driftwood-reverb',
    'software',
    'Driftwood Reverb',
    'Driftwood Reverb',
    'Algorithmic reverb from small rooms to endless halls.',
    'Algorithmischer Hall von kleinen Räumen bis zu endlosen Hallen.',
    89,
  ],
  [
    'tidal-delay',
    'software',
    'Tidal Delay',
    'Tidal Delay',
    'Tape-style delay with modulation and ducking.',
    'Bandecho mit Modulation und Ducking.',
    69,
  ],
  [
    'ember-drive',
    'software',
    'Ember Drive',
    'Ember Drive',
    'Saturation and distortion for drums, bass and vocals.',
    'Sättigung und Verzerrung für Drums, Bass und Gesang.',
    49,
  ],
  [
    'loom-sequencer',
    'software',
    'Loom Step Sequencer',
    'Loom Step-Sequencer',
    'Polyrhythmic MIDI step sequencer.',
    'Polyrhythmischer MIDI-Step-Sequencer.',
    79,
  ],
  [
    'quartz-compressor',
    'software',
    'Quartz Compressor',
    'Quartz Kompressor',
    'Transparent bus compressor with sidechain filter.',
    'Transparenter Bus-Kompressor mit Sidechain-Filter.',
    99,
  ],
  [
    'meadow-strings',
    'software',
    'Meadow Strings',
    'Meadow Strings',
    'Chamber string ensemble with legato scripting.',
    'Kammer-Streicherensemble mit Legato-Scripting.',
    249,
  ],
  [
    'pulse-drums',
    'software',
    'Pulse Drum Machine',
    'Pulse Drum Machine',
    'Analogue-modelled drum machine with 16 voices.',
    'Analog modellierte Drum Machine mit 16 Stimmen.',
    129,
  ],
  [
    'cinder-bass',
    'software',
    'Cinder Bass',
    'Cinder Bass',
    'Monophonic bass synthesizer.',
    'Monophoner Bass-Synthesizer.',
    59,
  ],
  [
    'prism-eq',
    'software',
    'Prism EQ',
    'Prism EQ',
    'Linear-phase equaliser with dynamic bands.',
    'Linearphasiger Equalizer mit dynamischen Bändern.',
    119,
  ],
  [
    'studio-suite',
    'bundle',
    'Studio Suite 5',
    'Studio Suite 5',
    'Every instrument and effect in one bundle.',
    'Alle Instrumente und Effekte in einem Paket.',
    599,
  ],
  [
    'keystep-49',
    'hardware',
    'Keystep 49 Controller',
    'Keystep 49 Controller',
    '49-key controller keyboard with aftertouch.',
    'Controller-Keyboard mit 49 Tasten und Aftertouch.',
    299,
    40,
  ],
  [
    'keystep-61',
    'hardware',
    'Keystep 61 Controller',
    'Keystep 61 Controller',
    '61-key controller keyboard with aftertouch.',
    'Controller-Keyboard mit 61 Tasten und Aftertouch.',
    399,
    25,
  ],
  [
    'keystep-88',
    'hardware',
    'Keystep 88 Controller',
    'Keystep 88 Controller',
    '88 weighted hammer-action keys.',
    '88 gewichtete Tasten mit Hammermechanik.',
    749,
    10,
  ],
  [
    'padgrid',
    'hardware',
    'Padgrid Drum Controller',
    'Padgrid Drum-Controller',
    '16 velocity-sensitive pads with RGB feedback.',
    '16 anschlagdynamische Pads mit RGB-Rückmeldung.',
    249,
    60,
  ],
  [
    'fadebox',
    'hardware',
    'Fadebox Mixer Controller',
    'Fadebox Mixer-Controller',
    'Eight motorised faders for your DAW.',
    'Acht motorisierte Fader für Ihre DAW.',
    459,
    15,
  ],
  [
    'audio-interface-2',
    'hardware',
    'Tonfabrik Audio 2',
    'Tonfabrik Audio 2',
    'Two-channel USB audio interface.',
    'Zweikanal-USB-Audiointerface.',
    179,
    80,
  ],
  [
    'audio-interface-6',
    'hardware',
    'Tonfabrik Audio 6',
    'Tonfabrik Audio 6',
    'Six-channel USB audio interface with preamps.',
    'Sechskanal-USB-Audiointerface mit Vorverstärkern.',
    349,
    30,
  ],
  [
    'monitor-headphones',
    'hardware',
    'Studio Monitor Headphones',
    'Studio-Monitorkopfhörer',
    'Closed-back headphones for tracking and mixing.',
    'Geschlossene Kopfhörer für Aufnahme und Mischung.',
    139,
    120,
  ],
  [
    'pedal-sustain',
    'hardware',
    'Sustain Pedal',
    'Sustain-Pedal',
    'Piano-style sustain pedal.',
    'Sustain-Pedal im Klavierstil.',
    29,
    200,
  ],
  [
    'travel-case-49',
    'hardware',
    'Travel Case 49',
    'Transporttasche 49',
    'Padded case for 49-key controllers.',
    'Gepolsterte Tasche für Controller mit 49 Tasten.',
    69,
    50,
  ],
  [
    'tape-loops',
    'expansion',
    'Tape Loops Expansion',
    'Tape Loops Erweiterung',
    'Lo-fi loops recorded to cassette.',
    'Lo-Fi-Loops, auf Kassette aufgenommen.',
    39,
  ],
  [
    'modular-textures',
    'expansion',
    'Modular Textures',
    'Modular Textures',
    'Evolving pads sampled from a modular system.',
    'Sich entwickelnde Flächen, gesampelt von einem Modularsystem.',
    49,
  ],
  [
    'house-essentials',
    'expansion',
    'House Essentials',
    'House Essentials',
    'Drums, basslines and chords for house music.',
    'Drums, Basslines und Akkorde für House.',
    29,
  ],
  [
    'orchestral-hits',
    'expansion',
    'Orchestral Hits',
    'Orchestral Hits',
    'Brass and string stabs for film and pop.',
    'Blech- und Streicher-Stabs für Film und Pop.',
    35,
  ],
  [
    'vocal-chops',
    'expansion',
    'Vocal Chops',
    'Vocal Chops',
    'Sliced vocal phrases in many keys.',
    'Geschnittene Gesangsphrasen in vielen Tonarten.',
    25,
  ],
  [
    'analog-drums',
    'expansion',
    'Analog Drums Vol. 1',
    'Analog Drums Vol. 1',
    'Classic drum machines, multisampled.',
    'Klassische Drum Machines, multigesampelt.',
    19,
  ],
  [
    'aurora-presets-2',
    'expansion',
    'Aurora Presets II',
    'Aurora Presets II',
    '300 new presets for Aurora Synth.',
    '300 neue Presets für Aurora Synth.',
    29,
  ],
  [
    'field-recordings',
    'expansion',
    'Field Recordings Berlin',
    'Field Recordings Berlin',
    'City ambiences recorded in Berlin.',
    'Stadtatmosphären, aufgenommen in Berlin.',
    15,
  ],
  [
    'cinematic-pulses',
    'expansion',
    'Cinematic Pulses',
    'Cinematic Pulses',
    'Rhythmic synth beds for trailers.',
    'Rhythmische Synth-Teppiche für Trailer.',
    45,
  ],
  [
    'piano-noir',
    'expansion',
    'Piano Noir',
    'Piano Noir',
    'Felt piano with tape noise for Granite.',
    'Filzklavier mit Bandrauschen für Granite.',
    25,
  ],
];

const stableId = (kind: string, slug: string) =>
  createHash('sha256').update(`${kind}:${slug}`).digest('hex').slice(0, 24);

const categorySeeds: [slug: string, en: string, de: string, products: string[]][] = [
  [
    'instruments',
    'Instruments',
    'Instrumente',
    ['aurora-synth', 'granite-piano', 'meadow-strings', 'pulse-drums', 'cinder-bass', 'loom-sequencer', 'studio-suite'],
  ],
  [
    'effects',
    'Effects',
    'Effekte',
    ['driftwood-reverb', 'tidal-delay', 'ember-drive', 'quartz-compressor', 'prism-eq'],
  ],
  ['controllers', 'Controllers', 'Controller', ['keystep-49', 'keystep-61', 'keystep-88', 'padgrid', 'fadebox']],
  [
    'audio-gear',
    'Audio interfaces and accessories',
    'Audiointerfaces und Zubehör',
    ['audio-interface-2', 'audio-interface-6', 'monitor-headphones', 'pedal-sustain', 'travel-case-49'],
  ],
  [
    'sound-packs',
    'Expansions and sample packs',
    'Erweiterungen und Sample-Packs',
    [
      'tape-loops',
      'modular-textures',
      'house-essentials',
      'orchestral-hits',
      'vocal-chops',
      'analog-drums',
      'aurora-presets-2',
      'field-recordings',
      'cinematic-pulses',
      'piano-noir',
    ],
  ],
];

export function demoCategories(): CategoriesTable[] {
  return categorySeeds.map(([slug, en, de], position) => ({
    id: stableId('category', slug),
    slug,
    name_en: en,
    name_de: de,
    position,
  }));
}

function categoryOf(slug: string): string | null {
  const found = categorySeeds.find(([, , , products]) => products.includes(slug));
  return found ? stableId('category', found[0]) : null;
}

export function demoProducts(now: number): ProductsTable[] {
  return seeds.map(([slug, kind, en, de, summaryEn, summaryDe, euros, stock], position) => ({
    // Stable ids from the slug, so that reseeding never creates a second copy of a product.
    id: stableId('product', slug),
    slug,
    kind,
    title_en: en,
    title_de: de,
    summary_en: summaryEn,
    summary_de: summaryDe,
    price_cents: euros * 100,
    stock: stock ?? null,
    position,
    created_at: now,
    category_id: categoryOf(slug),
    status: 'active' as const,
    description_en: '',
    description_de: '',
    requirements_en: '',
    requirements_de: '',
    max_activations: kind === 'software' ? 2 : null,
    requires_id: null,
  }));
}

const bundleSeeds: [bundle: string, contents: string[]][] = [
  [
    'studio-suite',
    [
      'aurora-synth',
      'granite-piano',
      'meadow-strings',
      'pulse-drums',
      'cinder-bass',
      'loom-sequencer',
      'driftwood-reverb',
      'tidal-delay',
      'ember-drive',
      'quartz-compressor',
      'prism-eq',
      'aurora-presets-2',
      'piano-noir',
    ],
  ],
];

export function demoBundleItems(): BundleItemsTable[] {
  return bundleSeeds.flatMap(([bundle, contents]) =>
    contents.map((slug, position) => ({
      bundle_id: stableId('product', bundle),
      product_id: stableId('product', slug),
      position,
    })),
  );
}

/** Writes the demo catalogue; does nothing for what is already there (stable ids and slugs). */
export async function seedCatalog(deps: Pick<Deps, 'db' | 'clock' | 'dbKind'>): Promise<void> {
  await insertCategories(deps.db, demoCategories());
  await insertProducts(deps.db, deps.dbKind, demoProducts(deps.clock.now()));
  await insertBundleItems(deps.db, demoBundleItems());
}
