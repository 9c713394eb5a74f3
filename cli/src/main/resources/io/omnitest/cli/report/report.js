// Draws the report's charts from the JSON in #report-data with ECharts (inlined before this
// script). Everything else on the page is plain HTML written by ReportWriter.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var ops = data.ops;
  var OUTCOMES = ['ok', 'fail', 'info', 'open'];
  var COLORS = { ok: '#4c8bd6', fail: '#d64545', info: '#f0a030', open: '#a0a0a0' };
  var SYMBOLS = ['circle', 'triangle', 'diamond', 'rect', 'roundRect', 'pin', 'arrow'];
  var endSec = data.endMs / 1000;

  function sec(ms) { return Math.round(ms) / 1000; }
  function fmtMs(ms) { return ms < 1 ? (ms * 1000).toFixed(0) + ' µs' : ms < 1000 ? ms.toFixed(1) + ' ms' : (ms / 1000).toFixed(2) + ' s'; }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }

  function describeOp(r) {
    var end = ops.e[r];
    return 'process ' + ops.p[r] + ' · <b>' + esc(ops.fs[ops.f[r]]) + '</b> ' + esc(ops.v[r]) +
      '<br>' + OUTCOMES[ops.t[r]] + ' · index ' + ops.i[r] +
      '<br>invoked ' + sec(ops.s[r]).toFixed(3) + ' s' +
      (end === null ? ' · never completed' : ' · latency ' + fmtMs(end - ops.s[r]));
  }

  // Fault windows as shaded, labelled areas; one-shot nemesis events as lines.
  function faultMarks() {
    return {
      markArea: {
        silent: false,
        itemStyle: { color: 'rgba(214, 69, 69, 0.10)' },
        label: { show: true, position: 'insideTopLeft', color: '#b3261e', fontSize: 11 },
        data: data.faults.map(function (w) { return [{ name: w.label, xAxis: sec(w.startMs) }, { xAxis: sec(w.endMs) }]; })
      },
      markLine: {
        symbol: 'none', silent: true, lineStyle: { color: '#8a6d00', type: 'dashed' },
        label: { formatter: '{b}', fontSize: 10 },
        data: data.events.map(function (e) { return { name: e.label, xAxis: sec(e.timeMs) }; })
      }
    };
  }

  // xWindow: [from, to] seconds shown first (all when absent); lanes: how many y categories shown first.
  function zoom(lanes, xWindow) {
    var x = { xAxisIndex: 0, filterMode: 'none' };
    if (xWindow) { x.startValue = xWindow[0]; x.endValue = xWindow[1]; }
    var z = [Object.assign({ type: 'inside' }, x), Object.assign({ type: 'slider', height: 18, bottom: 6 }, x)];
    if (lanes) z.push({ type: 'slider', yAxisIndex: 0, filterMode: 'weakFilter', width: 14, right: 6, startValue: 0, endValue: lanes - 1 });
    return z;
  }

  // Long runs open the timeline on a minute around the first anomaly (else the first fault).
  function focusWindow() {
    if (endSec <= 120) return null;
    var from = Math.max(0, data.focusMs / 1000 - 10);
    return [from, Math.min(endSec, from + 60)];
  }

  function timeAxis() { return { type: 'value', name: 'time (s)', nameLocation: 'middle', nameGap: 24, min: 0, max: Math.max(endSec, 0.001) }; }

  function latencyChart(el) {
    var series = [];
    ops.fs.forEach(function (f, fi) {
      [0, 1, 2].forEach(function (t) {
        var pts = [];
        for (var r = 0; r < ops.p.length; r++) {
          if (ops.f[r] === fi && ops.t[r] === t && ops.e[r] !== null) pts.push([sec(ops.s[r]), Math.max(ops.e[r] - ops.s[r], 0.001), r]);
        }
        if (pts.length === 0) return;
        series.push({ name: f + ' ' + OUTCOMES[t], type: 'scatter', data: pts, symbol: SYMBOLS[fi % SYMBOLS.length],
          symbolSize: 5, itemStyle: { color: COLORS[OUTCOMES[t]], opacity: 0.75 }, large: pts.length > 5000, progressive: 4000 });
      });
    });
    // The ops an anomaly names, ringed, so the eye finds them among thousands.
    var named = ops.h.filter(function (r) { return ops.e[r] !== null; }).map(function (r) {
      return [sec(ops.s[r]), Math.max(ops.e[r] - ops.s[r], 0.001), r];
    });
    if (named.length > 0) {
      series.push({ name: 'named by an anomaly', type: 'scatter', data: named, symbol: 'circle', symbolSize: 13, z: 5,
        itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#111', borderWidth: 2 } });
    }
    if (series.length === 0) series.push({ type: 'scatter', data: [] });
    Object.assign(series[0], faultMarks());
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      legend: { top: 0, type: 'scroll' },
      grid: { left: 60, right: 24, top: 36, bottom: 56 },
      tooltip: { trigger: 'item', formatter: function (p) { return p.componentType === 'series' ? describeOp(p.data[2]) : esc(p.name || ''); } },
      xAxis: timeAxis(),
      yAxis: { type: 'log', name: 'latency (ms)', logBase: 10, nameTextStyle: { align: 'left' } },
      dataZoom: zoom(0, null),
      series: series
    });
    return chart;
  }

  // Completions per second in each bucket, stacked by outcome; bars sit on their bucket's start.
  function throughputChart(el) {
    var tp = ops.throughput, step = tp.bucketMs / 1000;
    var series = ['ok', 'fail', 'info'].map(function (o) {
      return { name: o, type: 'bar', stack: 'all', barCategoryGap: 0, barWidth: '100%', large: true,
        itemStyle: { color: COLORS[o] }, data: tp[o].map(function (v, i) { return [(i + 0.5) * step, v]; }) };
    });
    Object.assign(series[0], faultMarks());
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 60, right: 24, top: 36, bottom: 56 },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return (+v).toFixed(1) + ' ops/s'; } },
      xAxis: timeAxis(),
      yAxis: { type: 'value', name: 'completions per second (' + (step >= 1 ? step + ' s' : tp.bucketMs + ' ms') + ' buckets)',
        nameTextStyle: { align: 'left' } },
      dataZoom: zoom(0, null),
      series: series
    });
    return chart;
  }

  // One lane per process; each op a bar from invocation to completion. Zoom with the wheel or
  // the sliders; with many processes the vertical slider windows the lanes.
  function timelineChart(el) {
    var lanes = ops.processes.map(String);
    var laneOf = {};
    ops.processes.forEach(function (p, i) { laneOf[p] = i; });
    var rows = [], named = {};
    ops.h.forEach(function (r) { named[r] = true; });
    for (var r = 0; r < ops.p.length; r++) {
      rows.push([sec(ops.s[r]), ops.e[r] === null ? endSec : sec(ops.e[r]), laneOf[ops.p[r]], ops.t[r], r]);
    }
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 60, right: 40, top: 16, bottom: 56 },
      tooltip: { trigger: 'item', formatter: function (p) { return p.componentType === 'series' ? describeOp(p.data[4]) : esc(p.name || ''); } },
      xAxis: timeAxis(),
      yAxis: { type: 'category', data: lanes, name: 'process', inverse: true },
      dataZoom: zoom(lanes.length > 30 ? 30 : 0, focusWindow()),
      series: [Object.assign({
        type: 'custom', encode: { x: [0, 1], y: 2 }, data: rows, progressive: 5000,
        renderItem: function (params, api) {
          var a = api.coord([api.value(0), api.value(2)]), b = api.coord([api.value(1), api.value(2)]);
          var h = api.size([0, 1])[1] * 0.6;
          var shape = echarts.graphic.clipRectByRect({ x: a[0], y: a[1] - h / 2, width: Math.max(b[0] - a[0], 1.5), height: h },
            { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
          var style = { fill: COLORS[OUTCOMES[api.value(3)]] };
          if (named[api.value(4)]) { style.stroke = '#111'; style.lineWidth = 2; }
          return shape && { type: 'rect', shape: shape, style: style };
        }
      }, faultMarks())]
    });
    return chart;
  }

  var charts = [];
  [['latency-chart', latencyChart], ['throughput-chart', throughputChart], ['timeline-chart', timelineChart]].forEach(function (c) {
    var el = document.getElementById(c[0]);
    if (el) charts.push(c[1](el));
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute('data-charts', String(charts.length));
})();
