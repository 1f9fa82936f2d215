/* paperlog: the citation graph on /graph/, drawn on a <canvas>.
   The layout is computed at build time; this file only draws, pans, zooms,
   filters and opens papers. Data comes from the data-json attribute of #pl-graph-data.
   Re-initialises after Material's instant navigation (document$).
   Test hooks: window.paperlog.graph (see docs/guide/graph.md) and data-pl-*
   attributes on #pl-graph. */
(function () {
  "use strict";

  var TOPIC_LIGHT = ["#3949ab", "#d81b60", "#00897b", "#f57c00", "#8e24aa", "#43a047", "#039be5", "#6d4c41", "#c0ca33", "#546e7a"];
  var TOPIC_DARK = ["#7986cb", "#f06292", "#4db6ac", "#ffb74d", "#ba68c8", "#81c784", "#4fc3f7", "#a1887f", "#dce775", "#90a4ae"];
  var STATUS_VARS = ["to-read", "skimmed", "first-pass", "second-pass", "implemented", "abandoned"];
  var live = [];

  function cssVar(el, name, fallback) {
    var value = getComputedStyle(el).getPropertyValue(name).trim();
    return value || fallback;
  }

  function Graph(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector("#pl-graph-data").getAttribute("data-json"));
    this.canvas = root.querySelector("#pl-graph-canvas");
    this.viewport = root.querySelector("#pl-graph-viewport");
    this.tooltip = root.querySelector("#pl-graph-tooltip");
    this.liveRegion = root.querySelector("#pl-graph-live");
    this.legend = root.querySelector("#pl-graph-legend");
    this.controls = {
      color: root.querySelector("#pl-graph-color"),
      topic: root.querySelector("#pl-graph-topic"),
      status: root.querySelector("#pl-graph-status"),
      unnoted: root.querySelector("#pl-graph-unnoted")
    };
    this.ctx = this.canvas.getContext("2d");
    this.view = { k: 1, x: 0, y: 0 };
    this.hover = -1;
    this.selected = -1;
    this.pointers = {};
    this.frame = 0;
    this.prepare();
    this.bind();
    this.readPalette();
    this.applyFilters();
    this.resize();
    this.fit();
    root.querySelector("#pl-graph-tools").hidden = false;
    root.querySelector("#pl-graph-help").hidden = false;
    this.legend.hidden = false;
    root.setAttribute("data-pl-ready", "");
  }

  Graph.prototype.prepare = function () {
    var nodes = this.data.nodes;
    var index = {};
    nodes.forEach(function (n, i) { index[n.id] = i; n.adj = []; });
    this.index = index;
    this.edges = [];
    var self = this;
    this.data.edges.forEach(function (e) {
      var s = index[e[0]], t = index[e[1]];
      if (s === undefined || t === undefined) return;
      self.edges.push({ s: s, t: t, kind: e[2] });
      nodes[s].adj.push(t);
      nodes[t].adj.push(s);
    });
    // Radius in pixels at the reference zoom, by how many notes cite the node.
    var maxR = 0;
    nodes.forEach(function (n) {
      n.r = 3 + 1.8 * Math.sqrt(n.in_degree || 0);
      maxR = Math.max(maxR, n.r);
    });
    this.maxR = maxR;
    // Keyboard order: papers with notes, by title.
    this.order = nodes.map(function (_, i) { return i; }).filter(function (i) { return nodes[i].noted; });
    this.order.sort(function (a, b) {
      var x = nodes[a].title.toLowerCase(), y = nodes[b].title.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.topicNames = {};
    this.topicColorIndex = {};
    var names = this.topicNames, colorIndex = this.topicColorIndex;
    this.data.topics.forEach(function (t, i) { names[t[0]] = t[1]; colorIndex[t[0]] = i; });
    this.statusNames = {};
    var statusNames = this.statusNames;
    this.data.statuses.forEach(function (s) { statusNames[s[0]] = s[1]; });
    // A uniform grid over layout coordinates for hit tests: O(1) per pointer move.
    var grid = {};
    nodes.forEach(function (n, i) {
      var key = Math.floor(n.x) + ":" + Math.floor(n.y);
      (grid[key] = grid[key] || []).push(i);
    });
    this.grid = grid;
  };

  Graph.prototype.readPalette = function () {
    var el = this.root;
    var dark = (document.body.getAttribute("data-md-color-scheme") || "") === "slate";
    this.palette = {
      fg: cssVar(el, "--md-default-fg-color", dark ? "#e2e4e9" : "#000000de"),
      light: cssVar(el, "--md-default-fg-color--light", "#0000008a"),
      lighter: cssVar(el, "--md-default-fg-color--lighter", "#00000052"),
      lightest: cssVar(el, "--md-default-fg-color--lightest", "#00000012"),
      bg: cssVar(el, "--md-default-bg-color", dark ? "#1e2129" : "#ffffff"),
      accent: cssVar(el, "--md-accent-fg-color", "#526cfe"),
      topics: dark ? TOPIC_DARK : TOPIC_LIGHT,
      status: {}
    };
    var status = this.palette.status;
    STATUS_VARS.forEach(function (s) { status[s] = cssVar(el, "--pl-" + s, "#9e9e9e"); });
    this.font = "12px " + (getComputedStyle(el).fontFamily || "sans-serif");
    this.data.nodes.forEach(function (n) { n.labelWidth = undefined; });
    this.renderLegend();
    this.draw();
  };

  Graph.prototype.colorOf = function (n) {
    if (!n.noted) return this.palette.lighter;
    if (this.controls.color.value === "topic") {
      var wanted = this.controls.topic.value;
      var slug = wanted && n.topics.indexOf(wanted) !== -1 ? wanted : n.topics[0];
      var i = this.topicColorIndex[slug];
      if (i === undefined) return this.palette.light;
      return i < this.palette.topics.length ? this.palette.topics[i] : this.palette.light;
    }
    return this.palette.status[n.status] || this.palette.light;
  };

  Graph.prototype.applyFilters = function () {
    var nodes = this.data.nodes;
    var topic = this.controls.topic.value, status = this.controls.status.value;
    var showUnnoted = this.controls.unnoted.checked;
    var filtered = topic || status;
    var visible = new Array(nodes.length);
    var count = 0, i;
    for (i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      visible[i] = n.noted && (!topic || n.topics.indexOf(topic) !== -1) && (!status || n.status === status);
    }
    // Works without a note have no topic or status: show those next to a visible paper.
    for (i = 0; i < nodes.length; i++) {
      if (nodes[i].noted) continue;
      visible[i] = showUnnoted && (!filtered || nodes[i].adj.some(function (j) { return visible[j] && nodes[j].noted; }));
    }
    for (i = 0; i < nodes.length; i++) if (visible[i]) count++;
    this.visible = visible;
    if (this.selected !== -1 && !visible[this.selected]) this.selected = -1;
    this.root.setAttribute("data-pl-visible", String(count));
    this.root.setAttribute("data-pl-color", this.controls.color.value);
    this.renderLegend();
    this.draw();
  };

  Graph.prototype.renderLegend = function () {
    if (!this.visible || !this.palette) return;
    var nodes = this.data.nodes, visible = this.visible, self = this;
    var counts = {}, items = [];
    var byTopic = this.controls.color.value === "topic";
    nodes.forEach(function (n, i) {
      if (!visible[i]) return;
      var key = !n.noted ? "~unnoted" : byTopic ? (n.topics[0] || "~none") : n.status;
      counts[key] = (counts[key] || 0) + 1;
    });
    if (byTopic) {
      this.data.topics.forEach(function (t, i) {
        if (counts[t[0]]) items.push([t[1], i < self.palette.topics.length ? self.palette.topics[i] : self.palette.light, counts[t[0]]]);
      });
      if (counts["~none"]) items.push(["No topic", this.palette.light, counts["~none"]]);
    } else {
      this.data.statuses.forEach(function (s) {
        if (counts[s[0]]) items.push([s[1], self.palette.status[s[0]], counts[s[0]]]);
      });
    }
    if (counts["~unnoted"]) items.push(["Not noted", this.palette.light, counts["~unnoted"], true]);
    this.legend.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var dot = document.createElement("span");
      dot.className = "pl-graph__swatch" + (item[3] ? " pl-graph__swatch--ring" : "");
      dot.style.background = item[3] ? "transparent" : item[1];
      dot.style.borderColor = item[1];
      li.appendChild(dot);
      li.appendChild(document.createTextNode(item[0] + " "));
      var strong = document.createElement("strong");
      strong.textContent = String(item[2]);
      li.appendChild(strong);
      self.legend.appendChild(li);
    });
  };

  Graph.prototype.resize = function () {
    var rect = this.viewport.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(rect.width)), h = Math.max(1, Math.round(rect.height));
    if (this.width) {
      // Keep the centre of the picture where it was.
      this.view.x += (w - this.width) / 2;
      this.view.y += (h - this.height) / 2;
    }
    this.width = w;
    this.height = h;
    this.ratio = ratio;
    this.canvas.width = Math.round(w * ratio);
    this.canvas.height = Math.round(h * ratio);
    this.canvas.style.width = w + "px";
    this.canvas.style.height = h + "px";
    this.draw();
  };

  Graph.prototype.fit = function () {
    var nodes = this.data.nodes, visible = this.visible;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (n, i) {
      if (!visible[i]) return;
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
      minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    });
    if (minX === Infinity) { minX = minY = -1; maxX = maxY = 1; }
    var pad = 30;
    var k = Math.min((this.width - 2 * pad) / Math.max(maxX - minX, 1), (this.height - 2 * pad) / Math.max(maxY - minY, 1));
    k = Math.max(0.5, Math.min(k, 120));
    this.view = { k: k, x: this.width / 2 - k * (minX + maxX) / 2, y: this.height / 2 - k * (minY + maxY) / 2 };
    this.draw();
  };

  Graph.prototype.zoomAt = function (factor, sx, sy) {
    var v = this.view;
    var k = Math.max(0.2, Math.min(v.k * factor, 400));
    factor = k / v.k;
    v.x = sx - (sx - v.x) * factor;
    v.y = sy - (sy - v.y) * factor;
    v.k = k;
    this.draw();
  };

  Graph.prototype.zoomFactor = function () {
    // Nodes grow with the zoom, but slower than distances do: readable at both ends.
    return Math.max(0.6, Math.min(Math.sqrt(this.view.k / 20), 2.2));
  };

  Graph.prototype.radius = function (n) {
    return n.r * this.zoomFactor();
  };

  Graph.prototype.screen = function (n) {
    return [n.x * this.view.k + this.view.x, n.y * this.view.k + this.view.y];
  };

  Graph.prototype.nodeAt = function (sx, sy) {
    var v = this.view, nodes = this.data.nodes;
    var wx = (sx - v.x) / v.k, wy = (sy - v.y) / v.k;
    var reach = Math.min(60, Math.ceil((this.maxR * this.zoomFactor() + 4) / v.k) + 1);
    var best = -1, bestD = Infinity;
    var cx = Math.floor(wx), cy = Math.floor(wy);
    for (var dx = -reach; dx <= reach; dx++) {
      for (var dy = -reach; dy <= reach; dy++) {
        var cell = this.grid[(cx + dx) + ":" + (cy + dy)];
        if (!cell) continue;
        for (var c = 0; c < cell.length; c++) {
          var i = cell[c];
          if (!this.visible[i]) continue;
          var p = this.screen(nodes[i]);
          var d = Math.hypot(p[0] - sx, p[1] - sy);
          if (d <= this.radius(nodes[i]) + 4 && d < bestD) { best = i; bestD = d; }
        }
      }
    }
    return best;
  };

  Graph.prototype.draw = function () {
    if (this.frame || !this.width) return;
    var self = this;
    this.frame = window.requestAnimationFrame(function () { self.frame = 0; self.paint(); });
  };

  Graph.prototype.paint = function () {
    var ctx = this.ctx, nodes = this.data.nodes, visible = this.visible, pal = this.palette;
    var k = this.view.k, w = this.width, h = this.height, self = this;
    // Screen positions once per frame: the edge loops below read them thousands of times.
    var count = nodes.length, sx = this.sx, sy = this.sy, i;
    if (!sx || sx.length !== count) { sx = this.sx = new Float64Array(count); sy = this.sy = new Float64Array(count); }
    for (i = 0; i < count; i++) {
      sx[i] = nodes[i].x * k + this.view.x;
      sy[i] = nodes[i].y * k + this.view.y;
    }
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var focus = this.hover !== -1 ? this.hover : this.selected;
    // Edges: one path per kind, thin; arrow heads once zoomed in enough to see them.
    var arrows = k >= 28;
    // Thousands of edges on screen would merge into a dark mass: thin them out.
    var shown = 0;
    for (i = 0; i < this.edges.length; i++) if (visible[this.edges[i].s] && visible[this.edges[i].t]) shown++;
    ctx.globalAlpha = Math.max(0.3, Math.min(1, 1.25 - Math.log(shown + 1) / Math.LN10 / 4));
    ["cites", "related"].forEach(function (kind) {
      ctx.beginPath();
      var edges = self.edges;
      for (var j = 0; j < edges.length; j++) {
        var e = edges[j];
        if (e.kind !== kind || !visible[e.s] || !visible[e.t]) continue;
        ctx.moveTo(sx[e.s], sy[e.s]);
        ctx.lineTo(sx[e.t], sy[e.t]);
      }
      ctx.setLineDash(kind === "related" ? [4, 3] : []);
      ctx.strokeStyle = pal.lighter;
      ctx.lineWidth = 1;
      ctx.stroke();
    });
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    if (arrows) {
      ctx.beginPath();
      this.edges.forEach(function (e) {
        if (e.kind !== "cites" || !visible[e.s] || !visible[e.t]) return;
        self.arrowHead(nodes[e.s], nodes[e.t]);
      });
      ctx.fillStyle = pal.light;
      ctx.fill();
    }
    if (focus !== -1) {
      ctx.beginPath();
      this.edges.forEach(function (e) {
        if ((e.s !== focus && e.t !== focus) || !visible[e.s] || !visible[e.t]) return;
        ctx.moveTo(sx[e.s], sy[e.s]);
        ctx.lineTo(sx[e.t], sy[e.t]);
      });
      ctx.strokeStyle = pal.accent;
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    // Nodes, batched by colour; works without a note faded.
    var groups = {}, zoom = this.zoomFactor();
    for (i = 0; i < count; i++) {
      if (!visible[i]) continue;
      var n = nodes[i], r = n.r * zoom, x = sx[i], y = sy[i];
      if (x < -r || y < -r || x > w + r || y > h + r) continue;
      var color = n.noted ? self.colorOf(n) : "|faded";
      (groups[color] = groups[color] || []).push(x, y, r);
    }
    Object.keys(groups).forEach(function (key) {
      var parts = key.split("|"), list = groups[key];
      ctx.beginPath();
      for (var c = 0; c < list.length; c += 3) {
        ctx.moveTo(list[c] + list[c + 2], list[c + 1]);
        ctx.arc(list[c], list[c + 1], list[c + 2], 0, 2 * Math.PI);
      }
      if (parts[1]) {
        // Works without a note: faded rings, so they read as "not here yet".
        ctx.fillStyle = pal.bg;
        ctx.fill();
        ctx.strokeStyle = pal.light;
        ctx.lineWidth = 1.5;
        ctx.stroke();
        return;
      }
      ctx.fillStyle = parts[0];
      ctx.fill();
      ctx.strokeStyle = pal.bg;
      ctx.lineWidth = 1;
      ctx.stroke();
    });
    if (focus !== -1) {
      var p = this.screen(nodes[focus]);
      ctx.beginPath();
      ctx.arc(p[0], p[1], this.radius(nodes[focus]) + 3, 0, 2 * Math.PI);
      ctx.strokeStyle = pal.accent;
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    this.paintLabels(focus);
    if (this.hover === -1 && this.selected !== -1) {
      // Keep the selected paper's tooltip next to it as the view moves.
      var at = this.screen(nodes[this.selected]);
      this.showTooltip(this.selected, at[0], at[1]);
    }
  };

  Graph.prototype.arrowHead = function (from, to) {
    var a = this.screen(from), b = this.screen(to);
    var dx = b[0] - a[0], dy = b[1] - a[1], len = Math.hypot(dx, dy);
    if (len < 1) return;
    var ux = dx / len, uy = dy / len, r = this.radius(to) + 1.5, size = 6;
    var tipX = b[0] - ux * r, tipY = b[1] - uy * r;
    this.ctx.moveTo(tipX, tipY);
    this.ctx.lineTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
    this.ctx.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
    this.ctx.closePath();
  };

  Graph.prototype.paintLabels = function (focus) {
    // Level of detail: labels only once zoomed in, most cited first, none overlapping
    // another (greedy), at most 200; the hovered or selected node is always labelled.
    var ctx = this.ctx, nodes = this.data.nodes, self = this, w = this.width, h = this.height;
    var chosen = [];
    ctx.font = this.font;
    if (this.view.k >= 26) {
      nodes.forEach(function (n, i) {
        if (!self.visible[i] || i === focus) return;
        var p = self.screen(n);
        if (p[0] < 0 || p[1] < 0 || p[0] > w || p[1] > h) return;
        chosen.push(i);
      });
      chosen.sort(function (a, b) { return (nodes[b].in_degree - nodes[a].in_degree) || (a - b); });
    }
    if (focus !== -1) chosen.unshift(focus);
    var placed = [], shown = [];
    for (var c = 0; c < chosen.length && shown.length < 200; c++) {
      var n = nodes[chosen[c]], p = this.screen(n), r = this.radius(n);
      if (n.labelWidth === undefined) n.labelWidth = ctx.measureText(n.label).width;
      var box = [p[0] + r + 3, p[1] - 8, p[0] + r + 5 + n.labelWidth, p[1] + 8];
      var free = c === 0 && focus !== -1;
      if (!free) {
        free = true;
        for (var q = 0; q < placed.length && free; q++) {
          var o = placed[q];
          if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) free = false;
        }
      }
      if (!free) continue;
      placed.push(box);
      shown.push([n, box[0] + 1, p[1]]);
    }
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    shown.forEach(function (item) {
      ctx.lineWidth = 3;
      ctx.strokeStyle = self.palette.bg;
      ctx.strokeText(item[0].label, item[1], item[2]);
      ctx.fillStyle = item[0].noted ? self.palette.fg : self.palette.light;
      ctx.fillText(item[0].label, item[1], item[2]);
    });
  };

  Graph.prototype.describe = function (n) {
    var parts = [n.title + (n.year ? " (" + n.year + ")" : "")];
    parts.push(n.noted ? (this.statusNames[n.status] || n.status) : "not noted");
    var names = this.topicNames;
    var topics = n.topics.map(function (t) { return names[t] || t; });
    if (topics.length) parts.push(topics.join(", "));
    if (n.in_degree) parts.push("cited by " + n.in_degree + (n.in_degree === 1 ? " note" : " notes"));
    return parts;
  };

  Graph.prototype.showTooltip = function (i, sx, sy) {
    var tip = this.tooltip;
    if (i === -1) {
      tip.hidden = true;
      this.root.removeAttribute("data-pl-hover");
      return;
    }
    var parts = this.describe(this.data.nodes[i]);
    tip.textContent = "";
    var title = document.createElement("strong");
    title.textContent = parts[0];
    tip.appendChild(title);
    var rest = document.createElement("span");
    rest.textContent = parts.slice(1).join(" \u00b7 ");
    tip.appendChild(rest);
    tip.hidden = false;
    var left = Math.min(sx + 14, this.width - tip.offsetWidth - 4);
    var top = sy + 16 + tip.offsetHeight > this.height ? sy - tip.offsetHeight - 10 : sy + 16;
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = Math.max(4, top) + "px";
    this.root.setAttribute("data-pl-hover", this.data.nodes[i].id);
  };

  Graph.prototype.open = function (i) {
    var n = this.data.nodes[i];
    if (!n || !n.noted || !n.url) return;
    // A clicked link, as Material does itself: its instant navigation takes it when on,
    // the browser follows it otherwise.
    var link = document.createElement("a");
    link.href = new URL(n.url, window.location.href).href;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  Graph.prototype.select = function (i) {
    this.selected = i;
    if (i === -1) {
      this.root.removeAttribute("data-pl-selected");
      this.liveRegion.textContent = "";
      this.showTooltip(-1);
      this.draw();
      return;
    }
    var n = this.data.nodes[i];
    var p = this.screen(n);
    if (p[0] < 40 || p[1] < 40 || p[0] > this.width - 40 || p[1] > this.height - 40) {
      this.view.x += this.width / 2 - p[0];
      this.view.y += this.height / 2 - p[1];
      p = this.screen(n);
    }
    this.root.setAttribute("data-pl-selected", n.id);
    this.liveRegion.textContent = this.describe(n).join(", ") + ". Press Enter to open.";
    this.showTooltip(i, p[0], p[1]);
    this.draw();
  };

  Graph.prototype.step = function (delta) {
    var order = this.order.filter(function (i) { return this.visible[i]; }, this);
    if (!order.length) return;
    var at = order.indexOf(this.selected);
    var next = at === -1 ? (delta > 0 ? 0 : order.length - 1) : (at + delta + order.length) % order.length;
    this.select(order[next]);
  };

  Graph.prototype.local = function (event) {
    var rect = this.canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };

  Graph.prototype.bind = function () {
    var self = this, canvas = this.canvas;
    var moved = false, last = null, start = null, pinch = null;

    function ids() { return Object.keys(self.pointers); }

    canvas.addEventListener("pointerdown", function (event) {
      try {
        canvas.setPointerCapture(event.pointerId);
      } catch (error) {
        // Synthetic events (tests, assistive tools) have no pointer to capture.
      }
      self.pointers[event.pointerId] = self.local(event);
      moved = false;
      last = start = self.local(event);
      if (ids().length === 2) {
        var p = ids().map(function (id) { return self.pointers[id]; });
        pinch = { d: Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]) || 1 };
      }
    });
    canvas.addEventListener("pointermove", function (event) {
      var at = self.local(event);
      if (!(event.pointerId in self.pointers)) {
        if (event.pointerType === "mouse") {
          var i = self.nodeAt(at[0], at[1]);
          if (i !== self.hover) { self.hover = i; self.draw(); }
          canvas.style.cursor = i !== -1 && self.data.nodes[i].noted ? "pointer" : "grab";
          self.showTooltip(i, at[0], at[1]);
        }
        return;
      }
      self.pointers[event.pointerId] = at;
      var list = ids();
      if (list.length === 2 && pinch) {
        var p = list.map(function (id) { return self.pointers[id]; });
        var d = Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]) || 1;
        self.zoomAt(d / pinch.d, (p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2);
        pinch.d = d;
        moved = true;
        return;
      }
      if (!moved && Math.hypot(at[0] - start[0], at[1] - start[1]) > 4) moved = true;
      self.view.x += at[0] - last[0];
      self.view.y += at[1] - last[1];
      last = at;
      if (moved) {
        canvas.style.cursor = "grabbing";
        self.showTooltip(-1);
      }
      self.draw();
    });
    function release(event) {
      if (!(event.pointerId in self.pointers)) return;
      delete self.pointers[event.pointerId];
      if (ids().length < 2) pinch = null;
      if (event.type === "pointerup" && !moved && !ids().length) {
        var at = self.local(event);
        var i = self.nodeAt(at[0], at[1]);
        if (i !== -1) {
          if (self.data.nodes[i].noted) self.open(i);
          else self.select(i);
        }
      }
      if (ids().length === 1) last = self.pointers[ids()[0]];
      canvas.style.cursor = "grab";
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    canvas.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse" && !(event.pointerId in self.pointers)) {
        self.hover = -1;
        self.showTooltip(-1);
        self.draw();
      }
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = self.local(event);
      var delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      self.zoomAt(Math.exp(-delta * 0.0015), at[0], at[1]);
    }, { passive: false });
    canvas.addEventListener("keydown", function (event) {
      var handled = true, step = 60;
      switch (event.key) {
        case "ArrowLeft": self.view.x += step; self.draw(); break;
        case "ArrowRight": self.view.x -= step; self.draw(); break;
        case "ArrowUp": self.view.y += step; self.draw(); break;
        case "ArrowDown": self.view.y -= step; self.draw(); break;
        case "+": case "=": self.zoomAt(1.25, self.width / 2, self.height / 2); break;
        case "-": case "_": self.zoomAt(0.8, self.width / 2, self.height / 2); break;
        case "0": self.fit(); break;
        case "n": case "N": self.step(1); break;
        case "p": case "P": self.step(-1); break;
        case "Enter": if (self.selected !== -1) self.open(self.selected); else handled = false; break;
        case "Escape": self.select(-1); break;
        default: handled = false;
      }
      if (handled) {
        // Material binds n, p, f, s and / to page navigation and search: keep ours here.
        event.preventDefault();
        event.stopPropagation();
      }
    });
    this.root.querySelector("#pl-graph-zoom-in").addEventListener("click", function () {
      self.zoomAt(1.4, self.width / 2, self.height / 2);
    });
    this.root.querySelector("#pl-graph-zoom-out").addEventListener("click", function () {
      self.zoomAt(1 / 1.4, self.width / 2, self.height / 2);
    });
    this.root.querySelector("#pl-graph-reset").addEventListener("click", function () {
      self.select(-1);
      self.fit();
    });
    this.controls.color.addEventListener("change", function () { self.applyFilters(); });
    [this.controls.topic, this.controls.status, this.controls.unnoted].forEach(function (control) {
      control.addEventListener("change", function () { self.applyFilters(); self.fit(); });
    });
    if (window.ResizeObserver) {
      this.resizer = new ResizeObserver(function () { self.resize(); });
      this.resizer.observe(this.viewport);
    }
    // Material switches palettes by changing attributes on <body>: redraw with its colours.
    this.scheme = new MutationObserver(function () { self.readPalette(); });
    this.scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"] });
  };

  Graph.prototype.destroy = function () {
    if (this.resizer) this.resizer.disconnect();
    this.scheme.disconnect();
    if (this.frame) window.cancelAnimationFrame(this.frame);
  };

  Graph.prototype.api = function () {
    var self = this;
    return {
      root: this.root,
      /** Ids of the nodes shown with the current filters. */
      visibleIds: function () {
        return self.data.nodes.filter(function (_, i) { return self.visible[i]; }).map(function (n) { return n.id; });
      },
      /** Viewport (client) coordinates of a node's centre, or null if hidden or unknown. */
      clientPosition: function (id) {
        var i = self.index[id];
        if (i === undefined || !self.visible[i]) return null;
        var p = self.screen(self.data.nodes[i]), rect = self.canvas.getBoundingClientRect();
        return { x: rect.left + p[0], y: rect.top + p[1] };
      },
      /** The node under a viewport (client) position, or null. */
      nodeAt: function (x, y) {
        var rect = self.canvas.getBoundingClientRect();
        var i = self.nodeAt(x - rect.left, y - rect.top);
        return i === -1 ? null : self.data.nodes[i].id;
      },
      view: function () { return { k: self.view.k, x: self.view.x, y: self.view.y }; },
      select: function (id) { self.select(id in self.index ? self.index[id] : -1); }
    };
  };

  function init() {
    live = live.filter(function (g) {
      if (document.body.contains(g.root)) return true;
      g.destroy();
      return false;
    });
    document.querySelectorAll("[data-pl-graph]").forEach(function (root) {
      if (root.hasAttribute("data-pl-ready") || !root.querySelector("#pl-graph-data")) return;
      var graph = new Graph(root);
      live.push(graph);
      window.paperlog = window.paperlog || {};
      window.paperlog.graph = graph.api();
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
