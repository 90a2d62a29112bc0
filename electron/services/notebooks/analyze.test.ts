import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notebookAnalysis, type NotebookAnalysis, type NotebookRule } from '../../../shared/contract/index.js';
import { notebookJson, type TestCell } from '../../test-support/notebooks.js';
import { analyzeNotebook, isEstimatorCall, packageFor, resolveLiteralPath } from './analyze.js';
import { parseNotebook } from './nbformat.js';
import { renderCells } from './render-cells.js';

const DIR = '/work/projects/churn';
const NB = `${DIR}/train.ipynb`;

interface Opts {
  language?: string;
  kernel?: string;
  maxOutputBytes?: number;
}

function analyse(cells: TestCell[], opts: Opts = {}): NotebookAnalysis {
  const nb = parseNotebook(notebookJson(cells, opts), NB);
  const a = analyzeNotebook(nb, { notebookDir: DIR, ...(opts.maxOutputBytes ? { maxOutputBytes: opts.maxOutputBytes } : {}) });
  // Every analysis fits the contract the UI and the catalog rely on.
  expect(notebookAnalysis.parse(a)).toEqual(a);
  return a;
}

/** Code cells run in order: execution counts 1, 2, 3 … */
const ran = (...sources: string[]): TestCell[] => sources.map((source, i) => ({ source, executionCount: i + 1 }));
const rule = (a: NotebookAnalysis, r: NotebookRule) => a.findings.filter((f) => f.rule === r);

// Fake credentials, built at run time.
const AWS = ['AKIA', 'IOSFODNN7', 'EXAMPLQ'].join('');
const OPENAI = ['sk-', 'Ab3dEf5hIj7lMn9pQr1tUv3xYz5', '9f2a'].join('');

describe('notebook facts', () => {
  it('reports kernel, nbformat, cell counts and execution counts per code cell', () => {
    const a = analyse([{ source: 'x = 1', executionCount: 1 }, { type: 'markdown', source: '# T' }, { type: 'raw', source: 'r' }, { source: 'y = x', executionCount: null }]);
    expect(a.kernel).toEqual({ name: 'python3', displayName: 'Python 3', language: 'python', languageVersion: '3.11.2' });
    expect(a.nbformat).toBe('4.5');
    expect(a.cells).toEqual({ code: 2, markdown: 1, raw: 1 });
    expect(a.executionCounts).toEqual([1, null]);
    expect(a.codeAnalysed).toBe(true);
  });
});

describe('imports', () => {
  it('maps import names to packages, marks the standard library, keeps the first cell', () => {
    const a = analyse(
      ran(
        'import os, json\nimport numpy as np\nfrom sklearn.ensemble import RandomForestClassifier\nimport cv2\nfrom PIL import Image',
        'import yaml\nfrom bs4 import BeautifulSoup\nimport sklearn.metrics\nfrom google.protobuf import text_format\nimport somethingobscure\nfrom . import helpers\nimport dateutil.parser',
      ),
    );
    expect(a.imports).toEqual([
      { module: 'os', package: null, stdlib: true, cell: 0 },
      { module: 'json', package: null, stdlib: true, cell: 0 },
      { module: 'numpy', package: 'numpy', stdlib: false, cell: 0 },
      { module: 'sklearn', package: 'scikit-learn', stdlib: false, cell: 0 },
      { module: 'cv2', package: 'opencv-python', stdlib: false, cell: 0 },
      { module: 'PIL', package: 'Pillow', stdlib: false, cell: 0 },
      { module: 'yaml', package: 'PyYAML', stdlib: false, cell: 1 },
      { module: 'bs4', package: 'beautifulsoup4', stdlib: false, cell: 1 },
      { module: 'google', package: 'protobuf', stdlib: false, cell: 1 },
      { module: 'somethingobscure', package: 'somethingobscure', stdlib: false, cell: 1 },
      { module: 'dateutil', package: 'python-dateutil', stdlib: false, cell: 1 },
    ]);
  });

  it('packageFor: the mapping table covers the usual renames', () => {
    const pairs: [string, string][] = [
      ['sklearn', 'scikit-learn'], ['skimage', 'scikit-image'], ['dotenv', 'python-dotenv'], ['Crypto', 'pycryptodome'], ['attr', 'attrs'],
      ['jwt', 'PyJWT'], ['serial', 'pyserial'], ['usb', 'pyusb'], ['OpenSSL', 'pyOpenSSL'], ['MySQLdb', 'mysqlclient'], ['psycopg2', 'psycopg2'],
      ['fitz', 'PyMuPDF'], ['docx', 'python-docx'], ['pptx', 'python-pptx'], ['magic', 'python-magic'], ['Levenshtein', 'python-Levenshtein'],
      ['tensorflow', 'tensorflow'], ['torch', 'torch'], ['xgboost', 'xgboost'], ['lightgbm', 'lightgbm'], ['catboost', 'catboost'],
      ['google.cloud.storage', 'google-cloud-storage'],
    ];
    for (const [mod, pkg] of pairs) expect(packageFor(mod).package, mod).toBe(pkg);
    expect(packageFor('collections.abc')).toEqual({ module: 'collections', package: null, stdlib: true });
  });

  it('reads pip installs with cell and line', () => {
    const a = analyse(ran('import numpy', 'x = 1\n%pip install pandas==2.1.0 seaborn'));
    expect(a.pipInstalls).toEqual([
      { requirement: 'pandas==2.1.0', pinned: true, cell: 1, line: 2 },
      { requirement: 'seaborn', pinned: false, cell: 1, line: 2 },
    ]);
  });
});

describe('reads and writes', () => {
  const refs = (a: NotebookAnalysis, kind: 'reads' | 'writes') => a[kind].map((r) => [r.call, r.literal, r.path]);

  it('finds pandas, polars, numpy, open, joblib, pickle, json, torch and keras reads, with any alias', () => {
    const a = analyse(
      ran(
        'import pandas as pandas_alias, polars as pl, numpy as np, joblib, pickle, json, torch\nimport tensorflow as tf',
        [
          'df = pandas_alias.read_csv("data/train.csv")',
          'p = pandas_alias.read_parquet("data/p.parquet")',
          'ex = pandas_alias.read_excel(io="book.xlsx")',
          'lz = pl.scan_parquet("lazy.parquet")',
          'arr = np.load("arr.npy")',
          'txt = np.loadtxt("m.txt")',
          'g = np.genfromtxt("g.csv", delimiter=",")',
          'with open("notes.txt") as f: pass',
          'with open("notes2.txt", "r") as f: pass',
          'm = joblib.load("model.joblib")',
          'm2 = pickle.load(open("model.pkl", "rb"))',
          'cfg = json.load(open("cfg.json"))',
          'net = torch.load("net.pt")',
          'k = tf.keras.models.load_model("keras_model")',
          'ps = pandas_alias.read_sql("select 1", conn)',
        ].join('\n'),
      ),
    );
    expect(refs(a, 'reads')).toEqual([
      ['pandas_alias.read_csv', 'data/train.csv', `${DIR}/data/train.csv`],
      ['pandas_alias.read_parquet', 'data/p.parquet', `${DIR}/data/p.parquet`],
      ['pandas_alias.read_excel', 'book.xlsx', `${DIR}/book.xlsx`],
      ['pl.scan_parquet', 'lazy.parquet', `${DIR}/lazy.parquet`],
      ['np.load', 'arr.npy', `${DIR}/arr.npy`],
      ['np.loadtxt', 'm.txt', `${DIR}/m.txt`],
      ['np.genfromtxt', 'g.csv', `${DIR}/g.csv`],
      ['open', 'notes.txt', `${DIR}/notes.txt`],
      ['open', 'notes2.txt', `${DIR}/notes2.txt`],
      ['joblib.load', 'model.joblib', `${DIR}/model.joblib`],
      ['pickle.load', 'model.pkl', `${DIR}/model.pkl`],
      ['json.load', 'cfg.json', `${DIR}/cfg.json`],
      ['torch.load', 'net.pt', `${DIR}/net.pt`],
      ['tf.keras.models.load_model', 'keras_model', `${DIR}/keras_model`],
    ]);
    expect(a.writes).toEqual([]);
    expect(a.reads.every((r) => r.exists === false && r.sha256 === null)).toBe(true);
    expect(a.reads[0]).toMatchObject({ cell: 1, line: 1 });
  });

  it('finds model and data writes', () => {
    const a = analyse(
      ran(
        [
          'joblib.dump(model, "out/model.joblib")',
          'pickle.dump(model, open("out/model.pkl", "wb"))',
          'with open("log.txt", "a") as f: f.write("x")',
          'booster.save_model("xgb.json")',
          'keras_model.save("saved_model")',
          'torch.save(net.state_dict(), "net.pt")',
          'df.to_csv("preds.csv", index=False)',
          'df.to_parquet(path="preds.parquet")',
          'skops.io.dump(model, "model.skops")',
          'mlflow.sklearn.save_model(model, "mlflow_model")',
          'onnx.save(onx, "model.onnx")',
          'torch.onnx.export(net, x, "net.onnx")',
          'np.save("emb.npy", emb)',
          'Path("notes.md").write_text("hi")',
          'plt.savefig("fig.png")',
        ].join('\n'),
      ),
    );
    expect(refs(a, 'writes')).toEqual([
      ['joblib.dump', 'out/model.joblib', `${DIR}/out/model.joblib`],
      ['pickle.dump', 'out/model.pkl', `${DIR}/out/model.pkl`],
      ['open', 'log.txt', `${DIR}/log.txt`],
      ['booster.save_model', 'xgb.json', `${DIR}/xgb.json`],
      ['keras_model.save', 'saved_model', `${DIR}/saved_model`],
      ['torch.save', 'net.pt', `${DIR}/net.pt`],
      ['df.to_csv', 'preds.csv', `${DIR}/preds.csv`],
      ['df.to_parquet', 'preds.parquet', `${DIR}/preds.parquet`],
      ['skops.io.dump', 'model.skops', `${DIR}/model.skops`],
      ['mlflow.sklearn.save_model', 'mlflow_model', `${DIR}/mlflow_model`],
      ['onnx.save', 'model.onnx', `${DIR}/model.onnx`],
      ['torch.onnx.export', 'net.onnx', `${DIR}/net.onnx`],
      ['np.save', 'emb.npy', `${DIR}/emb.npy`],
      ['Path().write_text', 'notes.md', `${DIR}/notes.md`],
    ]);
    expect(a.reads).toEqual([]);
  });

  it('resolves relative, absolute and ~ paths, and skips URLs', () => {
    const a = analyse(ran('pd.read_csv("../shared/x.csv")\npd.read_csv("/srv/data/y.csv")\npd.read_csv("~/data/z.csv")\npd.read_csv("https://example.org/d.csv")\npd.read_csv("s3://bucket/k.csv")\npd.read_csv("file:///srv/f.csv")'));
    expect(a.reads.map((r) => r.path)).toEqual(['/work/projects/shared/x.csv', '/srv/data/y.csv', join(homedir(), 'data/z.csv'), '/srv/f.csv']);
    expect(resolveLiteralPath('C:\\data\\x.csv', DIR)).toBe('C:\\data\\x.csv');
    expect(resolveLiteralPath('', DIR)).toBeNull();
  });

  it('follows path constants across cells, f-strings, os.path.join and Path /', () => {
    const a = analyse(
      ran(
        'import os\nfrom pathlib import Path\nDATA_DIR = "data"\nMODEL = Path("models") / "rf.joblib"',
        'df = pd.read_csv(f"{DATA_DIR}/train.csv")\nte = pd.read_csv(os.path.join(DATA_DIR, "test.csv"))\njoblib.dump(m, MODEL)',
        'DATA_DIR = compute()\npd.read_csv(f"{DATA_DIR}/later.csv")\nx = pd.read_csv(x)',
      ),
    );
    expect(refs(a, 'reads')).toEqual([
      ['pd.read_csv', 'data/train.csv', `${DIR}/data/train.csv`],
      ['pd.read_csv', 'data/test.csv', `${DIR}/data/test.csv`],
    ]);
    expect(refs(a, 'writes')).toEqual([['joblib.dump', 'models/rf.joblib', `${DIR}/models/rf.joblib`]]);
  });

  it('open with r+ is both a read and a write; Path.read_text and spark reads count', () => {
    const a = analyse(ran('with open("state.json", "r+") as f: pass\ntext = Path("README.md").read_text()\nsdf = spark.read.option("header", True).csv("events.csv")'));
    expect(refs(a, 'reads').map((r) => r[1])).toEqual(['state.json', 'README.md', 'events.csv']);
    expect(refs(a, 'writes').map((r) => r[1])).toEqual(['state.json']);
  });

  it('does not take names of models or datasets for files', () => {
    const a = analyse(ran('nlp = spacy.load("en_core_web_sm")\nm = torch.hub.load("pytorch/vision", "resnet18")\nds = datasets.load_dataset("imdb")'));
    expect(a.reads).toEqual([]);
  });
});

describe('seeds and hyperparameters', () => {
  it('finds global seeds, seeded generators and random_state literals', () => {
    const a = analyse(
      ran(
        'import numpy as np, random, torch\nimport tensorflow as tf\nnp.random.seed(42)\nrandom.seed(1)\ntorch.manual_seed(7)\ntf.random.set_seed(3)',
        'rng = np.random.default_rng(123)\nrs = np.random.RandomState(0)\nX_tr, X_te = train_test_split(X, random_state=11)\nnone = KMeans(random_state=None)\nunseeded = np.random.default_rng()',
      ),
    );
    expect(a.seeds.map((s) => [s.call, s.value, s.cell, s.line])).toEqual([
      ['np.random.seed', '42', 0, 3],
      ['random.seed', '1', 0, 4],
      ['torch.manual_seed', '7', 0, 5],
      ['tf.random.set_seed', '3', 0, 6],
      ['np.random.default_rng', '123', 1, 1],
      ['np.random.RandomState', '0', 1, 2],
      ['train_test_split', '11', 1, 3],
    ]);
  });

  it('captures literal hyperparameters of estimator constructors', () => {
    const a = analyse(
      ran(
        'from sklearn.ensemble import RandomForestClassifier as RFC\nfrom sklearn.linear_model import LogisticRegression\nimport xgboost as xgb\nimport torch.nn as nn',
        'rf = RFC(n_estimators=200, max_depth=8, criterion="entropy", n_jobs=n)\nlr = LogisticRegression()\nxg = xgb.XGBClassifier(learning_rate=0.05, subsample=0.8)\nlayer = nn.Linear(784, 128, bias=False)\nmine = ChurnModel(hidden=(64, 32))\ndf = pd.DataFrame({"a": [1]})\nsplit = train_test_split(X, test_size=0.2)',
      ),
    );
    expect(a.hyperparameters.map((h) => [h.estimator, h.params, h.cell, h.line])).toEqual([
      ['RandomForestClassifier', { n_estimators: '200', max_depth: '8', criterion: '"entropy"' }, 1, 1],
      ['LogisticRegression', {}, 1, 2],
      ['xgb.XGBClassifier', { learning_rate: '0.05', subsample: '0.8' }, 1, 3],
      ['nn.Linear', { '[0]': '784', '[1]': '128', bias: 'False' }, 1, 4],
      ['ChurnModel', { hidden: '(64, 32)' }, 1, 5],
    ]);
  });

  it('isEstimatorCall: imported from an ML module, or named like an estimator', () => {
    expect(isEstimatorCall('StandardScaler', 'sklearn.preprocessing.StandardScaler')).toBe(true);
    expect(isEstimatorCall('Dense', 'tensorflow.keras.layers.Dense')).toBe(true);
    expect(isEstimatorCall('MyRegressor', 'MyRegressor')).toBe(true);
    expect(isEstimatorCall('DataFrame', 'pandas.DataFrame')).toBe(false);
    expect(isEstimatorCall('relu', 'torch.nn.functional.relu')).toBe(false);
    expect(isEstimatorCall('DMatrix', 'xgboost.DMatrix')).toBe(false);
    expect(isEstimatorCall('ConfusionMatrixDisplay', 'sklearn.metrics.ConfusionMatrixDisplay')).toBe(false);
  });
});

describe('rule: out-of-order', () => {
  it('reports the cell where execution counts stop increasing', () => {
    const a = analyse([{ source: 'a = 1', executionCount: 1 }, { type: 'markdown', source: 'm' }, { source: 'b = 2', executionCount: 5 }, { source: 'c = 3', executionCount: 3 }, { source: 'd = 4', executionCount: 6 }]);
    expect(rule(a, 'out-of-order')).toEqual([
      expect.objectContaining({ severity: 'warning', cell: 3, line: null, message: expect.stringContaining('ran as [3], before cell 3 above it ([5])') }),
    ]);
  });

  it('is quiet for increasing counts, gaps and unexecuted cells', () => {
    expect(rule(analyse([{ source: 'a', executionCount: 2 }, { source: 'b', executionCount: null }, { source: 'c', executionCount: 9 }]), 'out-of-order')).toEqual([]);
  });
});

describe('rule: not-executed', () => {
  it('reports a code cell never run when others were', () => {
    const a = analyse([{ source: 'a = 1', executionCount: 1 }, { source: 'b = 2', executionCount: null }, { source: '# only a comment', executionCount: null }, { source: '  ', executionCount: null }, { type: 'markdown', source: 'text' }]);
    expect(rule(a, 'not-executed')).toEqual([expect.objectContaining({ severity: 'warning', cell: 1 })]);
  });

  it('reports a wholly unexecuted notebook once, as info', () => {
    const a = analyse([{ source: 'a = 1' }, { source: 'b = a' }]);
    expect(rule(a, 'not-executed')).toEqual([expect.objectContaining({ severity: 'info', cell: null, message: expect.stringContaining('No code cell has been run (2 code cells') })]);
  });

  it('is quiet when every cell ran', () => {
    expect(rule(analyse(ran('a = 1', 'b = a')), 'not-executed')).toEqual([]);
  });
});

describe('rule: error-output', () => {
  const error = { output_type: 'error', ename: 'KeyError', evalue: "'target'", traceback: ['\u001b[0;31mKeyError\u001b[0m', 'Cell \u001b[0;32mIn[2], line 3\u001b[0m', "KeyError: 'target'"] };

  it('reports error outputs with the name, value and line from the traceback', () => {
    const a = analyse([{ source: 'a = 1', executionCount: 1 }, { source: 'x = 1\ny = 2\ndf["target"]', executionCount: 2, outputs: [error] }]);
    expect(rule(a, 'error-output')).toEqual([expect.objectContaining({ severity: 'error', cell: 1, line: 3, message: "The saved output is an error: KeyError: 'target'." })]);
  });

  it('is quiet without error outputs', () => {
    expect(rule(analyse([{ source: 'print(1)', executionCount: 1, outputs: [{ output_type: 'stream', name: 'stderr', text: 'Warning: x' }] }]), 'error-output')).toEqual([]);
  });
});

describe('rule: large-output', () => {
  it('reports a cell whose outputs exceed the limit', () => {
    const big = { output_type: 'stream', name: 'stdout', text: 'x'.repeat(3000) };
    const a = analyse([{ source: 'print(df)', executionCount: 1, outputs: [big] }, { source: 'print(1)', executionCount: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: '1' }] }], { maxOutputBytes: 2048 });
    expect(rule(a, 'large-output')).toEqual([expect.objectContaining({ severity: 'warning', cell: 0, message: expect.stringContaining('3 kB (over 2 kB)') })]);
  });

  it('uses 1 MB by default', () => {
    const out = (n: number) => [{ output_type: 'display_data', data: { 'image/png': 'A'.repeat(n) }, metadata: {} }];
    expect(rule(analyse([{ source: 'plot()', executionCount: 1, outputs: out(1_100_000) }]), 'large-output')).toHaveLength(1);
    expect(rule(analyse([{ source: 'plot()', executionCount: 1, outputs: out(900_000) }]), 'large-output')).toHaveLength(0);
  });
});

describe('rule: secret', () => {
  it('finds secrets in code, outputs and markdown, masked', () => {
    const a = analyse([
      { source: `import openai\nopenai.api_key = "${OPENAI}"`, executionCount: 1 },
      { source: 'print(os.environ["AWS_KEY"])', executionCount: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: `${AWS}\n` }] },
      { source: 'cfg', executionCount: 3, outputs: [{ output_type: 'execute_result', execution_count: 3, data: { 'text/plain': "{'password': 'Tr0ub4dor&3x'}" }, metadata: {} }] },
      { type: 'markdown', source: 'Use password = "s3cr3t-Passw0rd" to log in' },
    ]);
    const s = rule(a, 'secret');
    expect(s.map((f) => [f.severity, f.cell, f.line])).toEqual([
      ['error', 0, 2],
      ['error', 1, null],
      ['error', 2, null],
      ['error', 3, 1],
    ]);
    expect(s[0]!.message).toBe('The code holds an API key (sk-…9f2a).');
    expect(s[1]!.message).toBe('An output of this cell shows an AWS access key (AKIA…MPLQ).');
    for (const f of s) {
      expect(f.message).not.toContain(OPENAI);
      expect(f.message).not.toContain(AWS);
      expect(f.message).not.toContain('Tr0ub4dor');
    }
  });

  it('is quiet for credentials read from the environment', () => {
    expect(rule(analyse(ran('import os\napi_key = os.environ["OPENAI_API_KEY"]\npassword = getpass.getpass()\ntoken = "<your-token>"')), 'secret')).toEqual([]);
  });
});

describe('rule: absolute-path', () => {
  it('reports machine paths in reads/writes and in other string literals', () => {
    const a = analyse(ran('df = pd.read_csv("/home/ana/data/train.csv")\nos.chdir("/mnt/shared/project")\nw = pd.read_csv(r"C:\\Users\\ana\\x.csv")\njoblib.dump(m, "~/models/m.joblib")\nimport sys\nsys.path.append("/Users/ana/lib")'));
    expect(rule(a, 'absolute-path').map((f) => [f.cell, f.line, f.message])).toEqual([
      [0, 1, 'An absolute path "/home/ana/data/train.csv" (in pd.read_csv) ties the notebook to one machine.'],
      [0, 2, 'An absolute path "/mnt/shared/project" ties the notebook to one machine.'],
      [0, 3, 'An absolute path "C:\\Users\\ana\\x.csv" (in pd.read_csv) ties the notebook to one machine.'],
      [0, 4, 'A home-folder path "~/models/m.joblib" (in joblib.dump) ties the notebook to one machine.'],
      [0, 6, 'An absolute path "/Users/ana/lib" ties the notebook to one machine.'],
    ]);
    expect(rule(a, 'absolute-path')[0]!.severity).toBe('warning');
  });

  it('is quiet for relative paths, URL routes and URLs', () => {
    const a = analyse(ran('df = pd.read_csv("data/train.csv")\nroute = "/api/v1/predict"\nurl = "https://example.org/home/x"\npattern = r"/\\d+/"\ntmp = "/tmp/scratch"'));
    expect(rule(a, 'absolute-path')).toEqual([]);
  });
});

describe('rule: unseeded-randomness', () => {
  const unseeded = (...sources: string[]) => rule(analyse(ran(...sources)), 'unseeded-randomness').map((f) => [f.cell, f.line, f.message]);

  it('reports numpy, random, torch and tensorflow draws with no seed set before them', () => {
    expect(unseeded('import numpy as np, random, torch\nimport tensorflow as tf', 'a = np.random.rand(3)\nrandom.shuffle(xs)\nt = torch.randn(2)\nu = tf.random.uniform((2,))')).toEqual([
      [1, 1, "np.random.rand draws from numpy's random generator and no seed is set before it, so results can differ on every run."],
      [1, 2, "random.shuffle draws from Python's random generator and no seed is set before it, so results can differ on every run."],
      [1, 3, "torch.randn draws from PyTorch's random generator and no seed is set before it, so results can differ on every run."],
      [1, 4, "tf.random.uniform draws from TensorFlow's random generator and no seed is set before it, so results can differ on every run."],
    ]);
  });

  it('is quiet when the matching seed is set earlier (even in the same cell)', () => {
    expect(unseeded('import numpy as np, random, torch\nnp.random.seed(0)\nrandom.seed(0)', 'a = np.random.rand(3)\nrandom.shuffle(xs)\ntorch.manual_seed(1)\nt = torch.randn(2)')).toEqual([]);
  });

  it('a seed set only further down does not count', () => {
    expect(unseeded('import numpy as np\nx = np.random.normal()', 'np.random.seed(0)')).toHaveLength(1);
  });

  it('a seed-everything helper seeds every generator', () => {
    expect(unseeded('def set_seed(s):\n    random.seed(s)\n    np.random.seed(s)', 'set_seed(42)\nx = np.random.rand()\ny = random.random()')).toEqual([]);
  });

  it('estimators and splitters need random_state (or numpy seeded)', () => {
    const found = unseeded(
      'from sklearn.model_selection import train_test_split, KFold\nfrom sklearn.ensemble import RandomForestClassifier',
      'a, b = train_test_split(X)\nrf = RandomForestClassifier(n_estimators=10)\nkf = KFold(5, shuffle=True)\nnone = ExtraTreesClassifier(random_state=None)',
    );
    expect(found.map((f) => f[1])).toEqual([1, 2, 3, 4]);
    expect(found[1]![2]).toBe('RandomForestClassifier is called without random_state and numpy is not seeded before it, so results can differ on every run.');
  });

  it('is quiet for seeded estimators, unshuffled splits, **params and numpy-seeded notebooks', () => {
    expect(
      unseeded('from sklearn.model_selection import train_test_split, KFold', 'a = train_test_split(X, random_state=0)\nb = train_test_split(X, shuffle=False)\nkf = KFold(5)\nrf = RandomForestClassifier(**params)\nkm = KMeans(3, random_state=SEED)'),
    ).toEqual([]);
    expect(unseeded('import numpy as np\nnp.random.seed(1)', 'a = train_test_split(X)\nrf = RandomForestClassifier()')).toEqual([]);
  });

  it('a generator made without a seed is reported even when numpy is seeded', () => {
    expect(unseeded('import numpy as np\nnp.random.seed(1)\nrng = np.random.default_rng()')).toEqual([[0, 3, 'np.random.default_rng() makes a random generator without a seed, so results can differ on every run.']]);
    expect(unseeded('import numpy as np\nrng = np.random.default_rng(7)\nx = rng.normal()')).toEqual([]);
  });

  it('df.sample(frac=…) without random_state is random', () => {
    expect(unseeded('shuffled = df.sample(frac=1)')).toHaveLength(1);
    expect(unseeded('shuffled = df.sample(frac=1, random_state=3)')).toHaveLength(0);
  });
});

describe('rule: unpinned-pip', () => {
  it('reports unpinned requirements, notes -r files as info, ignores pip itself', () => {
    const a = analyse(ran('%pip install -U pip pandas==2.0.3 "scikit-learn>=1.2" xgboost\n!pip install -r requirements.txt'));
    expect(rule(a, 'unpinned-pip').map((f) => [f.severity, f.cell, f.line, f.message])).toEqual([
      ['warning', 0, 1, 'pip installs "scikit-learn>=1.2" without an exact version: a later run may get a different release.'],
      ['warning', 0, 1, 'pip installs "xgboost" without an exact version: a later run may get a different release.'],
      ['info', 0, 2, 'Installs from requirements.txt; whether its versions are pinned is not checked here.'],
    ]);
    expect(rule(a, 'unpinned-pip')[0]!.remedy).toContain('scikit-learn==<version>');
  });

  it('is quiet when everything is pinned', () => {
    expect(rule(analyse(ran('%pip install pandas==2.0.3 scikit-learn==1.3.2')), 'unpinned-pip')).toEqual([]);
  });
});

describe('rule: used-before-defined', () => {
  it('reports a name used in a cell above the one that defines it', () => {
    const a = analyse(ran('import pandas as pd', 'model.fit(X, y)', 'X = df.drop("y", axis=1)\ny = df.y\nmodel = make()'));
    expect(rule(a, 'used-before-defined').map((f) => [f.severity, f.cell, f.line, f.message])).toEqual([
      ['error', 1, 1, '"model" is used here but defined only further down, in cell 3: running top to bottom fails with NameError.'],
      ['error', 1, 1, '"X" is used here but defined only further down, in cell 3: running top to bottom fails with NameError.'],
      ['error', 1, 1, '"y" is used here but defined only further down, in cell 3: running top to bottom fails with NameError.'],
    ]);
  });

  it('is quiet for names defined above, in the same cell, builtins, and names defined nowhere', () => {
    const a = analyse(ran('x = 1', 'print(x)\nz = w + 1\nw = 2', 'total = sum(undefined_anywhere)', 'sum = 0\nlist = []'));
    expect(rule(a, 'used-before-defined')).toEqual([]);
  });

  it('checks the body of a function when it is called before a name it needs is defined', () => {
    const a = analyse(ran('def score(m):\n    return m.score(X_test, y_test)', 'print(score(model))', 'X_test, y_test = split()\nmodel = train()', 'print(score(model))'));
    expect(rule(a, 'used-before-defined').map((f) => [f.cell, f.message])).toEqual([
      [1, 'score() (defined in cell 1) uses "X_test", which is defined only further down, in cell 3: running top to bottom fails here with NameError.'],
      [1, 'score() (defined in cell 1) uses "y_test", which is defined only further down, in cell 3: running top to bottom fails here with NameError.'],
      [1, '"model" is used here but defined only further down, in cell 3: running top to bottom fails with NameError.'],
    ]);
  });

  it('does not report a function whose later-defined names are ready before it is called', () => {
    expect(rule(analyse(ran('def f():\n    return helper()', 'def helper():\n    return 1', 'f()')), 'used-before-defined')).toEqual([]);
  });

  it('stops after a star import or %run, which may define anything', () => {
    expect(rule(analyse(ran('from utils import *', 'print(a)', 'a = 1')), 'used-before-defined')).toEqual([]);
    expect(rule(analyse(ran('%run setup.ipynb', 'print(a)', 'a = 1')), 'used-before-defined')).toEqual([]);
  });
});

describe('non-Python kernels', () => {
  it('registers an R notebook with what can be read, and says the code is not analysed', () => {
    const a = analyse(
      [
        { source: 'library(dplyr)\ndf <- read.csv("/home/ana/data.csv")', executionCount: 2 },
        { source: `api_key <- "q8w7e6r5t4y3u2i1"`, executionCount: 1, outputs: [{ output_type: 'error', ename: 'Error', evalue: 'object not found', traceback: ['Error: object not found'] }] },
        { source: 'summary(df)', executionCount: null },
      ],
      { language: 'R', kernel: 'ir' },
    );
    expect(a.codeAnalysed).toBe(false);
    expect(a.kernel).toMatchObject({ name: 'ir', language: 'R' });
    expect([a.imports, a.pipInstalls, a.reads, a.writes, a.seeds, a.hyperparameters]).toEqual([[], [], [], [], [], []]);
    const rules = a.findings.map((f) => f.rule);
    expect(rules).toEqual(['out-of-order', 'not-executed', 'error-output', 'absolute-path', 'secret', 'code-not-analysed']);
    expect(a.findings.find((f) => f.rule === 'code-not-analysed')).toMatchObject({ severity: 'info', cell: null, message: expect.stringContaining("The notebook's language is R: only Python code is analysed") });
  });

  it('treats a notebook without language metadata as Python', () => {
    const nb = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 0, cells: [{ cell_type: 'code', source: 'import numpy', execution_count: 1, outputs: [], metadata: {} }] }), NB);
    expect(analyzeNotebook(nb, { notebookDir: DIR }).codeAnalysed).toBe(true);
  });
});

describe('IPython cells', () => {
  it('analyses Python around magics and skips non-Python cell magics', () => {
    const a = analyse(ran('%matplotlib inline\nimport numpy as np\n!ls data', '%%bash\nimport os\npip install requests', '%%time\nimport pandas as pd\ndf = pd.read_csv("x.csv")'));
    expect(a.imports.map((i) => i.module)).toEqual(['numpy', 'pandas']);
    expect(a.pipInstalls.map((p) => p.requirement)).toEqual(['requests']);
    expect(a.reads.map((r) => [r.literal, r.cell, r.line])).toEqual([['x.csv', 2, 3]]);
  });
});

describe('findings', () => {
  it('are sorted by rule order, then cell, then line', () => {
    const a = analyse([
      { source: 'x = np.random.rand()\npassword = "hunter2hunter2"', executionCount: 2 },
      { source: 'import numpy as np', executionCount: 1 },
    ]);
    expect(a.findings.map((f) => [f.rule, f.cell, f.line])).toEqual([
      ['out-of-order', 1, null],
      ['secret', 0, 2],
      ['unseeded-randomness', 0, 1],
      ['used-before-defined', 0, 1],
    ]);
  });
});

describe('a 100 MB notebook', () => {
  it('parses, analyses and renders, keeping what is at the end of a huge output', () => {
    const line = "0.1234567890,0.9876543210,0.5555555555,'row'\\n";
    const big = line.repeat(Math.ceil((100 * 1024 * 1024) / line.length));
    const text = `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"language_info": {"name": "python"}}, "cells": [
      {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "import numpy as np\\nprint(data)", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "${big}AWS key at the end: ${AWS}\\n"}]},
      {"cell_type": "code", "execution_count": 2, "metadata": {}, "source": "x = 1", "outputs": []}]}`;
    expect(text.length).toBeGreaterThan(100 * 1024 * 1024);
    const nb = parseNotebook(text, NB);
    const a = analyzeNotebook(nb, { notebookDir: DIR });
    expect(a.imports.map((i) => i.module)).toEqual(['numpy']);
    expect(rule(a, 'large-output')).toEqual([expect.objectContaining({ cell: 0, message: expect.stringMatching(/outputs take 9\d\.\d MB/) })]);
    expect(rule(a, 'secret')).toEqual([expect.objectContaining({ cell: 0, message: 'An output of this cell shows an AWS access key (AKIA…MPLQ).' })]);
    const cells = renderCells(nb);
    expect(cells[0]!.outputs).toHaveLength(1);
    expect(cells[0]!.outputs[0]).toMatchObject({ type: 'stream', name: 'stdout', truncated: true });
    expect(Buffer.byteLength((cells[0]!.outputs[0] as { text: string }).text)).toBeLessThanOrEqual(100 * 1024);
  }, 60_000);
});

describe('paths inside functions', () => {
  it('only literal paths count inside a def (a name there may be a parameter)', () => {
    const a = analyse(ran('p = "global.csv"\ndef load(p):\n    a = pd.read_csv(p)\n    b = pd.read_csv("fixed.csv")\n    return a, b'));
    expect(a.reads.map((r) => r.literal)).toEqual(['fixed.csv']);
  });
});
