import { describe, expect, it } from 'vitest';
import { demuxLogs, parsePrometheus, percentile } from './smoke-task.js';

describe('smoke test helpers', () => {
  it('parses the Prometheus text format, labels with escapes included, and names a bad line', () => {
    const text = [
      '# HELP greenhouse_requests_total HTTP requests answered.',
      '# TYPE greenhouse_requests_total counter',
      'greenhouse_requests_total{endpoint="/predict",method="POST",code="200"} 53',
      'greenhouse_requests_total{endpoint="/v2/models/{name}/infer",method="POST",code="422"} 2',
      '# TYPE greenhouse_request_duration_seconds histogram',
      'greenhouse_request_duration_seconds_bucket{endpoint="/predict",le="+Inf"} 53',
      'greenhouse_model_info{name="a \\"quoted\\" name",version="1"} 1',
      'process_start_time_seconds 1.7e9',
      'greenhouse_nan NaN',
      '',
    ].join('\n');
    const { samples, families } = parsePrometheus(text);
    expect(families.get('greenhouse_requests_total')).toBe('counter');
    expect(families.size).toBe(2);
    expect(samples).toHaveLength(6);
    expect(samples[1]).toEqual({ name: 'greenhouse_requests_total', labels: { endpoint: '/v2/models/{name}/infer', method: 'POST', code: '422' }, value: 2 });
    expect(samples[2]!.labels.le).toBe('+Inf');
    expect(samples[3]!.labels.name).toBe('a "quoted" name');
    expect(samples[4]!.value).toBe(1.7e9);
    expect(() => parsePrometheus('greenhouse_x{a="1" b} 1\n')).toThrow(/line 1/);
    expect(() => parsePrometheus('ok 1\nnot a metric line\n')).toThrow(/line 2/);
    expect(() => parsePrometheus('x one\n')).toThrow(/not a number/);
  });

  it('takes nearest-rank percentiles', () => {
    const v = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(percentile(v, 0.5)).toBe(25);
    expect(percentile(v, 0.95)).toBe(48);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it("demultiplexes a container's log frames", () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, 'out line\n'), frame(2, 'err line\n')]))).toBe('out line\nerr line\n');
    expect(demuxLogs(Buffer.from('plain tty text'))).toBe('plain tty text');
  });
});
