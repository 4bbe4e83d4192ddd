"""The interactive connectivity explorer of ``report.html``: choose a zone, see where its particles went
and where its arrivals came from (counts, fractions and 95 % intervals of ``connectivity/<layer>.csv``).

Self-contained: the zones are an inline SVG (simplified polygons), the table rows are embedded JSON,
the behaviour is a few lines of vanilla JavaScript inlined in the page (no library, no CDN).
"""

from __future__ import annotations

import html
import json

import numpy as np
import pandas as pd
import shapely
import xarray as xr

from .i18n import Lang

__all__ = ["explorer_section", "explorer_data"]

#: catalogue keys of the explorer's words (``xp.<key>``; ``.larva`` / ``.end`` variants for settlement and
#: end-of-run tables); {zone}, {n}, {n_out}, {n_in} are filled in by the page's script
_KEYS: tuple[str, ...] = ("heading", "zone", "show", "map", "destination", "source", "count", "fraction")
_KEYS += ("share_in", "interval", "none", "legend_outside", "outcomes")
_VARIANT_KEYS = ("intro", "out", "in", "out_caption", "in_caption", "legend", "status")

_W, _H = 640.0, 420.0


def _moved(s: float):
    """Coordinates moved ``s`` degrees east (for :func:`shapely.transform`)."""
    return lambda xy: xy + [s, 0.0]


def _words(L: Lang, larva: bool, layer: str, file: str) -> dict[str, str]:
    """The explorer's words in the report's language; the placeholders for the page are left in."""
    fill = _Keep(layer=layer, file=file)
    variant = "larva" if larva else "end"
    words = {k: L.texts[f"xp.{k}"].format_map(fill) for k in _KEYS}
    words |= {k: L.texts[f"xp.{k}.{variant}"].format_map(fill) for k in _VARIANT_KEYS}
    return words


class _Keep(dict):
    """Fills what it knows; leaves {zone}, {n} … for the page's script."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _extent(run) -> tuple[float, float, float, float]:
    land = run.snapshot["land"]
    return float(land.lon.min()), float(land.lon.max()), float(land.lat.min()), float(land.lat.max())


class _Frame:
    """Lon/lat → SVG coordinates (equirectangular, scaled by cos(mid-latitude)) of the model's box."""

    def __init__(self, extent: tuple[float, float, float, float]) -> None:
        self.lon0, self.lon1, self.lat0, self.lat1 = extent
        self.kx = np.cos(np.radians(0.5 * (self.lat0 + self.lat1)))
        self.scale = min(
            _W / max((self.lon1 - self.lon0) * self.kx, 1e-9), _H / max(self.lat1 - self.lat0, 1e-9)
        )

    @property
    def width(self) -> float:
        return (self.lon1 - self.lon0) * self.kx * self.scale

    @property
    def height(self) -> float:
        return (self.lat1 - self.lat0) * self.scale

    def xy(self, lon, lat) -> tuple:
        return (np.asarray(lon) - self.lon0) * self.kx * self.scale, (
            self.lat1 - np.asarray(lat)
        ) * self.scale

    def clip(self, geom):
        """``geom`` shifted by 360° next to the box, clipped to it and simplified (None if nothing is left)."""
        centre = 0.5 * (self.lon0 + self.lon1)
        shift = 360.0 * round((0.5 * (geom.bounds[0] + geom.bounds[2]) - centre) / 360.0)
        if shift:
            geom = shapely.transform(geom, _moved(-shift))
        geom = shapely.clip_by_rect(geom, self.lon0, self.lat0, self.lon1, self.lat1)
        geom = geom.simplify(0.002 * max(self.lon1 - self.lon0, self.lat1 - self.lat0))
        return None if geom.is_empty else geom

    def d(self, geom) -> str:
        """The SVG path data of the polygons of ``geom``."""
        out = []
        for p in shapely.get_parts(geom):
            if p.geom_type != "Polygon":
                continue
            for ring in [p.exterior, *p.interiors]:
                xy = np.asarray(ring.coords)
                x, y = self.xy(xy[:, 0], xy[:, 1])
                out.append("M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True)) + "Z")
        return "".join(out)


def _svg_paths(zones, frame: _Frame) -> list[tuple[str, str, float, float]]:
    """(zone id, SVG path, label x, label y) of each zone, clipped to the domain, simplified, largest first."""
    out = []
    for zid, geom in zip(zones["id"].astype(str), zones.geometry.values, strict=True):
        geom = frame.clip(geom) if geom is not None and not geom.is_empty else None
        d = frame.d(geom) if geom is not None else ""
        if d and geom is not None:
            x, y = frame.xy(geom.representative_point().x, geom.representative_point().y)
            out.append((zid, d, float(x), float(y), geom.area))
    out.sort(key=lambda t: -t[4])  # largest first: small zones are drawn on top and stay clickable
    return [t[:4] for t in out]


def _cells(mask: xr.DataArray):
    """The cells of a boolean (lat, lon) mask on a 1-D lon/lat grid as one geometry (None if none)."""
    if mask.lon.ndim != 1 or not bool(mask.any()):
        return None
    lon, lat = mask.lon.values.astype(float), mask.lat.values.astype(float)
    hx = 0.5 * abs(lon[1] - lon[0]) if lon.size > 1 else 0.5
    hy = 0.5 * abs(lat[1] - lat[0]) if lat.size > 1 else 0.5
    # each row's runs of consecutive cells as one box: the same area as a box per cell, far fewer to join
    m = np.pad(mask.transpose("lat", "lon").values.astype(np.int8), ((0, 0), (1, 1)))
    jj, first = np.nonzero(np.diff(m, axis=1) == 1)
    _, end = np.nonzero(np.diff(m, axis=1) == -1)  # (row-major: paired with the starts, row by row)
    a, b = lon[first], lon[end - 1]
    x0, x1 = np.minimum(a, b) - hx, np.maximum(a, b) + hx
    return shapely.union_all(shapely.box(x0, lat[jj] - hy, x1, lat[jj] + hy))


def _background(run, frame: _Frame) -> str:
    """Land (Natural Earth for real data, the model's mask for the demo) and the outside of the domain."""
    snap = run.snapshot
    parts = []
    outside = _cells(snap["outside"].astype(bool)) if "outside" in snap else None
    if outside is not None and (geom := frame.clip(outside)) is not None:
        parts.append(f"<path class='xp-outside' d='{frame.d(geom)}'/>")
    if run.summary.get("synthetic"):
        land = _cells(snap["land"].astype(bool))
    else:
        from .basemap import _land_in

        land = shapely.union_all(
            _land_in([frame.lon0, frame.lon1, frame.lat0, frame.lat1]) or [shapely.Point()]
        )
    if land is not None and not land.is_empty and (geom := frame.clip(land)) is not None:
        parts.append(f"<path class='xp-land' d='{frame.d(geom)}'/>")
    return "<g aria-hidden='true'>" + "".join(parts) + "</g>" if parts else ""


def explorer_data(table: pd.DataFrame) -> dict:
    """The table's zones and its non-zero rows as compact arrays [source, destination, count, fraction, lo, hi]."""
    names = sorted(set(table["source"].astype(str)) | set(table["destination"].astype(str)))
    at = {n: i for i, n in enumerate(names)}
    rows = table[table["count"] > 0]
    lo = rows["ci_low"] if "ci_low" in rows else rows["fraction"] * np.nan
    hi = rows["ci_high"] if "ci_high" in rows else rows["fraction"] * np.nan
    data = [
        [at[str(s)], at[str(d)], float(c), float(f), _num(a), _num(b)]
        for s, d, c, f, a, b in zip(
            rows["source"], rows["destination"], rows["count"], rows["fraction"], lo, hi, strict=True
        )
    ]
    released = table.groupby(table["source"].astype(str))["count"].sum()
    return {"names": names, "rows": data, "released": {str(k): float(v) for k, v in released.items()}}


def _num(x) -> float | None:
    return float(x) if x is not None and np.isfinite(x) else None


def _svg(run, frame: _Frame, paths: list, w: dict[str, str]) -> str:
    """The clickable zone map: zones (focusable buttons), then land and outside-domain, then labels."""
    if not paths:
        return ""
    shapes = "".join(
        f"<path class='xp-zone' data-zone='{html.escape(z, True)}' d='{d}' tabindex='0' role='button' "
        f"aria-label='{html.escape(w['zone'] + ' ' + z, True)}'><title>{html.escape(z)}</title></path>"
        for z, d, _, _ in paths
    )
    labels = "".join(
        f"<text x='{x:.1f}' y='{y:.1f}' class='xp-label' aria-hidden='true'>{html.escape(z)}</text>"
        for z, _, x, y in paths
    )
    hatch = (
        "<defs><pattern id='xp-hatch' width='6' height='6' patternUnits='userSpaceOnUse'>"
        "<rect width='6' height='6' fill='#b4b4b4'/><path d='M0,6L6,0' stroke='#7a7a7a' stroke-width='.6'/>"
        "</pattern></defs>"
    )
    box = f"0 0 {frame.width:.0f} {frame.height:.0f}"
    return (
        f"<svg id='xp-map' viewBox='{box}' role='group' aria-label='{html.escape(w['map'], True)}'>{hatch}"
        f"<rect width='100%' height='100%' fill='#eef5fb'/>{shapes}{_background(run, frame)}{labels}</svg>"
    )


def explorer_section(L: Lang, run, layer: str, table: pd.DataFrame, larva: bool, outcomes: set[str]) -> str:
    """The explorer as one HTML ``<section>`` (SVG, form, two tables, embedded data and script), in the
    language ``L`` (its words, and numbers formatted by the page as :class:`~.i18n.Lang` formats them)."""
    file = f"connectivity/{layer}{'.settlement' if larva else ''}.csv"
    w = _words(L, larva, layer, file)
    data = explorer_data(table)
    data["format"] = L.number_format()
    data["labels"] = {n: L.outcome(n) for n in data["names"] if L.outcome(n) != n}  # outcomes in words
    zones = run.zones.get(layer)
    frame = _Frame(_extent(run))
    paths = _svg_paths(zones, frame) if zones is not None and len(zones) else []
    drawn = {p[0] for p in paths}
    outcomes = set(outcomes) - drawn  # a derived high-seas polygon is a place, not an outcome
    data["drawn"] = sorted(drawn)
    data["words"] = w
    sources = [n for n in data["names"] if n not in outcomes]
    national = [n for n in sources if n not in {"ABNJ", "high_seas"}] or sources
    first = max(national, key=lambda n: data["released"].get(n, 0), default=None)  # largest release zone
    options = "".join(
        f"<option value='{html.escape(n, True)}'{' selected' if n == first else ''}>"
        f"{html.escape(data['labels'].get(n, n))}</option>"
        for n in sources
    )
    svg = _svg(run, frame, paths, w)
    legend = w["legend"] + (" " + w["legend_outside"] if "xp-outside" in svg else "")
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")

    def head(*cols: str) -> str:
        return (
            "<thead><tr>" + "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in cols) + "</tr></thead>"
        )

    head_out = head(w["destination"], w["count"], w["fraction"], w["interval"])
    head_in = head(w["source"], w["count"], w["share_in"], w["fraction"], w["interval"])
    return f"""<section id='explorer' aria-labelledby='xp-h'><h2 id='xp-h'>{html.escape(w["heading"])}</h2>
<p>{html.escape(w["intro"])}</p>
<div class='xp-controls'><label for='xp-zone'>{html.escape(w["zone"])}</label>
<select id='xp-zone'>{options}</select>
<fieldset><legend>{html.escape(w["show"])}</legend>
<label><input type='radio' name='xp-mode' value='out' checked> {html.escape(w["out"])}</label>
<label><input type='radio' name='xp-mode' value='in'> {html.escape(w["in"])}</label></fieldset></div>
<p id='xp-status' role='status' aria-live='polite'></p>
<div class='xp-wrap'><div class='xp-mapbox'>{svg}
<p class='xp-key'><span class='xp-ramp' aria-hidden='true'></span> {html.escape(legend)}</p></div>
<div class='xp-tables'>
<div class='scroll' role='region' tabindex='0' aria-labelledby='xp-out-cap'><table id='xp-out'>
<caption id='xp-out-cap'></caption>{head_out}<tbody></tbody></table></div>
<div class='scroll' role='region' tabindex='0' aria-labelledby='xp-in-cap'><table id='xp-in'>
<caption id='xp-in-cap'></caption>{head_in}<tbody></tbody></table></div>
<p><small>{html.escape(w["outcomes"])}</small></p></div></div>
<script type='application/json' id='xp-data'>{payload}</script>
<script>{_JS}</script></section>"""


CSS = """
.xp-controls{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:center}
.xp-controls select{font-size:1em;padding:.2em}
.xp-controls fieldset{border:1px solid #c9d6e2;padding:.2em .8em}
.xp-wrap{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
.xp-mapbox{flex:1 1 420px;max-width:640px}.xp-tables{flex:1 1 360px;min-width:0}
#xp-map{width:100%;height:auto;max-height:75vh;border:1px solid #d6e4ef}
.xp-zone{fill:#ffffff;stroke:#1f4e79;stroke-width:.8;cursor:pointer;fill-opacity:.9}
.xp-land{fill:#d9cfb8;stroke:#4d4535;stroke-width:.5}.xp-outside{fill:url(#xp-hatch)}
.xp-land,.xp-outside{pointer-events:none}
.xp-zone:hover{stroke-width:2}.xp-zone:focus{outline:none;stroke:#000;stroke-width:3}
.xp-zone.xp-chosen{stroke:#000;stroke-width:3}
.xp-label{font-size:11px;fill:#1b2a38;pointer-events:none;text-anchor:middle;paint-order:stroke;
stroke:#fff;stroke-width:3px}
.xp-key{font-size:.85em;color:#44586a}.xp-ramp{display:inline-block;width:8em;height:.8em;
vertical-align:middle;background:linear-gradient(90deg,#ffffff,#b2182b);border:1px solid #888}
#xp-out caption,#xp-in caption{text-align:left;font-weight:bold;padding:.3em 0}
tr.xp-self td{font-weight:bold}
"""

_JS = r"""
(function(){
var D=JSON.parse(document.getElementById('xp-data').textContent),W=D.words;
var sel=document.getElementById('xp-zone'),status=document.getElementById('xp-status');
var shapes=document.querySelectorAll('.xp-zone');
var F=D.format;
function num(x,d){var t=Math.abs(x).toFixed(d).split('.'),w=t[0];
  if(w.length>=F.min_group){var g=[];while(w.length>3){g.unshift(w.slice(-3));w=w.slice(0,-3);}
    w=[w].concat(g).join(F.group);}
  return (x<0&&Number(Math.abs(x).toFixed(d))!==0?'-':'')+w+(t.length>1?F.decimal+t[1]:'');}
function pct(x){return x===null||x===undefined?'–':num(100*x,1)+F.pct_space+'%';}
function cnt(x){return Math.round(x)===x?num(x,0):num(x,2);}
function label(z){return D.labels[z]||z;}
function mode(){return document.querySelector('input[name=xp-mode]:checked').value;}
function colour(f){var t=Math.max(0,Math.min(1,f));
  return 'rgb('+Math.round(255-77*t)+','+Math.round(255-231*t)+','+Math.round(255-212*t)+')';}
function rows(zone,dir){var i=D.names.indexOf(zone),k=dir==='out'?0:1;
  return D.rows.filter(function(r){return r[k]===i;}).sort(function(a,b){return b[2]-a[2];});}
function fill(tb,list,dir,total){tb.innerHTML='';
  list.forEach(function(r){var other=label(D.names[dir==='out'?r[1]:r[0]]),tr=document.createElement('tr');
    tr.dataset.source=D.names[r[0]];tr.dataset.destination=D.names[r[1]];
    if(r[0]===r[1])tr.className='xp-self';
    var cells=[other,cnt(r[2])];if(dir==='in')cells.push(pct(total>0?r[2]/total:null));
    cells.push(pct(r[3]),pct(r[4])+' – '+pct(r[5]));
    cells.forEach(function(c,j){var td=document.createElement(j===0?'th':'td');if(j===0)td.scope='row';
      td.textContent=c;tr.appendChild(td);});tb.appendChild(tr);});
  if(!list.length){var tr=document.createElement('tr'),td=document.createElement('td');
    td.colSpan=dir==='in'?5:4;td.textContent=W.none;tr.appendChild(td);tb.appendChild(tr);}}
function show(zone){
  if(!zone)return;sel.value=zone;
  var out=rows(zone,'out'),inn=rows(zone,'in');
  var nOut=D.released[zone]||0,nIn=inn.reduce(function(s,r){return s+r[2];},0);
  fill(document.querySelector('#xp-out tbody'),out,'out',nOut);
  fill(document.querySelector('#xp-in tbody'),inn,'in',nIn);
  document.getElementById('xp-out-cap').textContent=W.out_caption.replace('{zone}',zone).replace('{n}',cnt(nOut));
  document.getElementById('xp-in-cap').textContent=W.in_caption.replace('{zone}',zone).replace('{n}',cnt(nIn));
  status.textContent=W.status.replace('{zone}',zone).replace('{n_out}',cnt(nOut)).replace('{n_in}',cnt(nIn));
  var m=mode(),val={};
  (m==='out'?out:inn).forEach(function(r){var other=D.names[m==='out'?r[1]:r[0]];
    val[other]=m==='out'?r[3]:(nIn>0?r[2]/nIn:0);});
  shapes.forEach(function(p){var z=p.dataset.zone,v=val[z]||0;
    p.style.fill=colour(v);p.dataset.value=v;
    p.classList.toggle('xp-chosen',z===zone);p.setAttribute('aria-pressed',z===zone?'true':'false');
    p.querySelector('title').textContent=z+(v>0?': '+pct(v):'');});
}
sel.addEventListener('change',function(){show(sel.value);});
document.querySelectorAll('input[name=xp-mode]').forEach(function(r){
  r.addEventListener('change',function(){show(sel.value);});});
shapes.forEach(function(p){
  p.addEventListener('click',function(){show(p.dataset.zone);});
  p.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();
    show(p.dataset.zone);}});});
show(sel.value);
})();
"""
