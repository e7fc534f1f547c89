import '../../ui-kit/styles.css';
import '../../ui-kit/reports/reports.css';
import './dashboard.css';
import { mount } from '../../ui-kit/mount.js';
import { App } from './App.js';

mount(<App />);
