// @vitest-environment happy-dom
// A device menu shows the device in use, which comes from the call's state, not from the person's
// last pick: after a reload, a switch finished by the machine, or a device that went away.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import DeviceSelect from '../../../src/views/DeviceSelect.svelte';

const CAMERAS = [
  { deviceId: 'front', label: 'Front camera' },
  { deviceId: 'back', label: 'Back camera' },
];

let cleanup = () => {};
afterEach(() => cleanup());

function render(value: string, options = CAMERAS) {
  const target = document.createElement('div');
  document.body.append(target);
  const props = $state({ label: 'Choose camera', options, value, onchoose: vi.fn() });
  const view = mount(DeviceSelect, { target, props });
  cleanup = () => {
    unmount(view);
    target.remove();
  };
  flushSync();
  return { props, select: target.querySelector('select') as HTMLSelectElement };
}

describe('DeviceSelect', () => {
  it('shows the device in use, also when it is not the first, and follows it when it changes', () => {
    const { props, select } = render('back');
    expect(select.value).toBe('back');
    props.value = 'front';
    flushSync();
    expect(select.value).toBe('front');
  });

  it('shows the first device when the one in use is not in the list (gone)', () => {
    const { select } = render('unplugged');
    expect(select.value).toBe('front');
  });

  it('shows the device in use again when the list changes', () => {
    const { props, select } = render('back');
    props.options = [{ deviceId: 'usb', label: 'USB camera' }, ...CAMERAS];
    flushSync();
    expect(select.value).toBe('back');
  });

  it('hands the person\'s pick to its owner', () => {
    const { props, select } = render('front');
    select.value = 'back';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(props.onchoose).toHaveBeenCalledWith('back');
  });
});
