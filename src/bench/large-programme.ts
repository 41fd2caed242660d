// A deterministic large programme for benchmarks: 200 scenes, 2,000 objects, 500 conditions,
// branching links, choices, alternatives and optional scenes (issue #3's benchmark shape).
import type { Programme, Scene } from '../programme/types';

export function largeProgramme(sceneCount = 200, objectsPerScene = 10): Programme {
  const assets: Programme['assets'] = {};
  for (let i = 0; i < 100; i++) {
    assets[`video-${i}`] = { type: 'video', src: `media/v${i}.webm`, duration: 4 + (i % 7) };
    assets[`audio-${i}`] = { type: 'audio', src: `media/a${i}.webm`, duration: 3 + (i % 5), role: i % 2 ? 'music' : 'dialogue', importance: (i % 4) as 0 | 1 | 2 | 3, language: i % 3 ? 'en' : 'cy' };
  }
  const scenes: Record<string, Scene> = {};
  let conditions = 0;
  const cond = (i: number): unknown => {
    conditions++;
    switch (i % 5) {
      case 0: return { '==': [{ var: 'language' }, i % 2 ? 'en' : 'cy'] };
      case 1: return { var: 'signLanguage' };
      case 2: return { and: [{ '>=': [{ var: 'score' }, i % 10] }, { '!': { var: 'audioDescription' } }] };
      case 3: return { in: [{ var: 'deviceClass' }, ['tv', 'desktop']] };
      default: return { '<': [0, { var: 'timeOfDay' }, 12] };
    }
  };
  for (let s = 0; s < sceneCount; s++) {
    const objects = [];
    for (let o = 0; o < objectsPerScene; o++) {
      const n = s * objectsPerScene + o;
      objects.push({
        id: `o${o}`,
        asset: o % 2 ? `audio-${n % 100}` : `video-${n % 100}`,
        start: o % 3,
        layer: o,
        region: o === 0 ? 'main' : o === 1 ? 'pip' : 'full',
        ...(o % 5 === 4 ? { when: cond(n) } : {}),
      });
    }
    const scene: Scene = { title: `Scene ${s}`, objects };
    if (s + 1 < sceneCount) {
      scene.next = [{ scene: `s${s + 1}`, when: cond(s) }, { scene: `s${Math.min(sceneCount - 1, s + 2)}` }];
    }
    if (s % 20 === 10 && s + 3 < sceneCount) {
      scene.choice = { prompt: 'Which way?', options: [{ id: 'a', label: 'A', scene: `s${s + 1}` }, { id: 'b', label: 'B', scene: `s${s + 3}`, when: cond(s + 1) }], timeout: 8, default: 'a' };
      delete scene.next;
    }
    if (s % 4 === 0) scene.alternatives = [{ id: 'alt', when: cond(s + 2), objects: objects.slice(0, 3) }];
    if (s % 3 === 0) scene.optional = { priority: s % 7, minDuration: 1 };
    scenes[`s${s}`] = scene;
  }
  // Top up to 500 conditions with conditional variants of some placements.
  for (let s = 0; conditions < 500; s = (s + 1) % sceneCount) scenes[`s${s}`]!.objects![1]!.when = cond(s);
  return {
    format: 'tessera-programme',
    version: 1,
    id: 'large',
    title: 'Large generated programme',
    variables: {
      language: { type: 'string', default: 'en', values: ['en', 'cy'], context: 'language' },
      signLanguage: { type: 'boolean', default: false, context: 'signLanguage' },
      audioDescription: { type: 'boolean', default: false, context: 'audioDescription' },
      deviceClass: { type: 'string', default: 'desktop', values: ['tv', 'desktop', 'tablet', 'phone'], context: 'deviceClass' },
      timeOfDay: { type: 'number', default: 12, min: 0, max: 24, context: 'timeOfDay' },
      timeAvailable: { type: 'number', default: 0, min: 0, context: 'timeAvailable' },
      score: { type: 'number', default: 5, min: 0, max: 10 },
    },
    assets,
    layouts: {
      landscape: { width: 1920, height: 1080, regions: { main: { x: 0, y: 0, width: 1920, height: 1080 }, pip: { x: 1400, y: 700, width: 480, height: 340 } } },
      portrait: { when: { '==': [{ var: 'orientation' }, 'portrait'] }, width: 1080, height: 1920, regions: { main: { x: 0, y: 0, width: 1080, height: 1920 }, pip: { x: 600, y: 1400, width: 440, height: 480 } } },
    },
    beginnings: [{ scene: 's0' }],
    scenes,
  };
}
