// The viewer's caption settings as the player uses them (the settings themselves and their
// validation: src/engine/caption-settings.ts). They are kept across visits with the viewer's other
// preferences (src/player/preferences.ts, which also migrates the keys this module once wrote).
export * from '../engine/caption-settings';
