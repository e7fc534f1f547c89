import '../../ui-kit/styles.css';
import './settings.css';
import { mount } from '../../ui-kit/mount.js';
import { App } from './App.js';

mount(<App />);
