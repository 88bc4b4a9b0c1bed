// SPDX-License-Identifier: Apache-2.0
/**
 * The "see the differences" page: starts a backend (saying which one ran and
 * why any other did not), then fills the three sections in turn. The root
 * element's data-state says 'ready' when all of them are drawn.
 */
import {chooseBackend, requestedBackend} from './backend';
import {setUpCompare} from './compare/section';
import {byId, el} from './dom';
import {setUpL2} from './l2/section';
import {setUpMomentum} from './momentum/section';

async function main(): Promise<void> {
  const root = document.documentElement;
  root.dataset.state = 'busy';
  const picker = byId<HTMLSelectElement>('backend-select');
  const requested = requestedBackend(location.search);
  picker.value = requested;
  picker.addEventListener('change', () => {
    const params = new URLSearchParams(location.search);
    params.set('backend', picker.value);
    location.search = params.toString();
  });
  const choice = await chooseBackend(requested);
  root.dataset.backend = choice.backend;
  const banner = byId('backend');
  banner.replaceChildren(
      'Computed on ', el('strong', {id: 'backend-name'}, choice.backend),
      choice.device !== '' ? ` (${choice.device})` : '',
      `; this package's kernels there: ${choice.kernels}.`);
  if (choice.fallbacks.length > 0) {
    banner.classList.add('fell-back');
    banner.append(el('span', {class: 'fallbacks'},
                     ` Fell back: ${choice.fallbacks.join('; ')}.`));
  }
  await setUpCompare();
  await setUpMomentum();
  await setUpL2();
  root.dataset.state = 'ready';
}

main().catch(e => {
  document.documentElement.dataset.state = 'error';
  byId('backend').textContent = `The page failed: ${(e as Error).message}`;
  console.error(e);
});
