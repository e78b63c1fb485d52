// How the TUI reads and writes progress. The default is the real progress file (GOINGNATS_HOME moves
// it); tests may pass their own.
import { loadProgress, recordHint, recordRun, updateProgress, type Progress } from "../progress/store.js";

export interface ProgressStore {
  load(): { progress: Progress; warning?: string };
  recordRun(id: string, passed: boolean): void;
  /** One more hint shown (capped at max); returns how many are shown now. */
  recordHint(id: string, max: number): number;
  /** Where the learner is: a lesson page, and the exercise open beside it, if any. */
  savePlace(lesson: string, page: number, exercise?: string): void;
  setWorkspace(dir: string): void;
}

export const fileProgressStore: ProgressStore = {
  load: loadProgress,
  recordRun,
  recordHint,
  savePlace(lesson, page, exercise) {
    updateProgress((p) => {
      p.lastLesson = lesson;
      p.lastPage = { ...p.lastPage, [lesson]: page };
      if (exercise) p.lastExercise = exercise;
      else delete p.lastExercise;
    });
  },
  setWorkspace(dir) {
    updateProgress((p) => {
      p.workspace = dir;
    });
  },
};
