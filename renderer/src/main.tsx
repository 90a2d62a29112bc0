import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { applyTheme, systemPrefersDark } from './app/theme.js';
import { createTransport, HttpTransport } from './platform/index.js';
import { bindEvents, resync } from './store/bind-events.js';
import { createAppStore, resolveTheme } from './store/index.js';
import { StoreProvider } from './store/store-context.js';

const transport = createTransport();
const store = createAppStore(transport);

// Before the first paint, so a dark-theme user never sees a white flash.
applyTheme(resolveTheme(store.getState().theme, systemPrefersDark()));

bindEvents(store, transport);
if (transport instanceof HttpTransport) {
  transport.onConnectionChange((state, reconnected) => {
    const { eventStream, setEventStream } = store.getState();
    if (state === 'open') setEventStream('open');
    // A failed reconnect attempt keeps it "lost"; only a drop of an open stream makes it so.
    if (state === 'closed' && eventStream === 'open') setEventStream('lost');
    if (state === 'open' && reconnected) void resync(store);
  });
}
void store.getState().loadWorkspace();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
