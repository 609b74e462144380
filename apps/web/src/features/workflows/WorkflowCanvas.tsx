import type { Phase, WorkflowDefinition } from '@serviceloop/contracts';
import {
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type Edge,
  MarkerType,
  type Node,
  type NodeChange,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

const PHASE_COLOR: Record<Phase, string> = {
  open: '#e6f4ff',
  in_progress: '#fff7e6',
  waiting: '#f9f0ff',
  done: '#f6ffed',
};

export type Selection = { kind: 'state'; key: string } | { kind: 'transition'; key: string } | null;

/**
 * The workflow as nodes (states) and arrows (transitions). Dragging a node moves its position in
 * the definition; connecting two nodes adds a stage move between them.
 */
export function WorkflowCanvas({
  definition,
  language,
  editable,
  selected,
  problemKeys,
  onChange,
  onConnect,
  onSelect,
}: {
  definition: WorkflowDefinition;
  language: string;
  editable: boolean;
  selected: Selection;
  /** States and transitions with a problem, outlined in red. */
  problemKeys: Set<string>;
  onChange: (d: WorkflowDefinition) => void;
  onConnect: (from: string, to: string) => void;
  onSelect: (s: Selection) => void;
}) {
  const locale = language === 'en-US' ? 'en-US' : 'zh-CN';
  const nodes: Node[] = useMemo(
    () =>
      definition.states.map((s) => ({
        id: s.key,
        position: s.position,
        data: { label: `${s.name[locale]}${s.key === definition.initial ? ' ▶' : ''}` },
        selected: selected?.kind === 'state' && selected.key === s.key,
        style: {
          background: PHASE_COLOR[s.phase],
          borderColor: problemKeys.has(`state:${s.key}`) ? '#ff4d4f' : undefined,
          borderWidth: problemKeys.has(`state:${s.key}`) ? 2 : 1,
        },
        className: `wf-node wf-node-${s.key}`,
      })),
    [definition, locale, selected, problemKeys],
  );
  const edges: Edge[] = useMemo(
    () =>
      definition.transitions.flatMap((t) =>
        t.from.map((f) => ({
          id: `${t.key}|${f}`,
          source: f,
          target: t.to,
          label: t.name[locale],
          selected: selected?.kind === 'transition' && selected.key === t.key,
          markerEnd: { type: MarkerType.ArrowClosed },
          style: problemKeys.has(`transition:${t.key}`) ? { stroke: '#ff4d4f' } : undefined,
          animated: !t.action,
        })),
      ),
    [definition, locale, selected, problemKeys],
  );
  const onNodesChange = (changes: NodeChange[]) => {
    const moved = applyNodeChanges(
      changes.filter((c) => c.type === 'position'),
      nodes,
    );
    const positions = new Map(moved.map((n) => [n.id, n.position]));
    if (changes.some((c) => c.type === 'position' && c.position))
      onChange({
        ...definition,
        states: definition.states.map((s) => ({ ...s, position: positions.get(s.key) ?? s.position })),
      });
  };
  const { t: translate } = useTranslation();
  // The canvas' own buttons speak the reader's language too (React Flow names them in English).
  const ariaLabelConfig = useMemo(
    () => ({
      'controls.ariaLabel': translate('workflows.canvas.controls'),
      'controls.zoomIn.ariaLabel': translate('workflows.canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': translate('workflows.canvas.zoomOut'),
      'controls.fitView.ariaLabel': translate('workflows.canvas.fitView'),
    }),
    [translate],
  );
  return (
    <div style={{ height: 460, border: '1px solid #f0f0f0' }} data-testid="workflow-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        onNodesChange={editable ? onNodesChange : undefined}
        nodesDraggable={editable}
        nodesConnectable={editable}
        onConnect={(c: Connection) => c.source && c.target && onConnect(c.source, c.target)}
        onNodeClick={(_e, n) => onSelect({ kind: 'state', key: n.id })}
        onEdgeClick={(_e, e) => onSelect({ kind: 'transition', key: e.id.split('|')[0]! })}
        onPaneClick={() => onSelect(null)}
        fitView
        ariaLabelConfig={ariaLabelConfig}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
