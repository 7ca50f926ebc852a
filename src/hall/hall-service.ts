import { createAlertService } from './alert-service.js';
import type { AlertsFeed } from './alerts-feed.js';
import { createBoardService } from './board-service.js';
import { createCheckInService } from './check-in-service.js';
import { createDeskService } from './desk-service.js';
import type { HallDeps } from './hall-deps.js';
import { createTerminalService } from './terminal-service.js';

/** The hall: terminal, desks, alerts and board, built from one narrow dependency object. */
export function createHall(deps: HallDeps & { feed?: AlertsFeed }) {
  return {
    terminal: createTerminalService(deps),
    desk: createDeskService(deps),
    alerts: createAlertService(deps),
    board: createBoardService(deps),
    checkIn: createCheckInService(deps),
  };
}

export type Hall = ReturnType<typeof createHall>;
